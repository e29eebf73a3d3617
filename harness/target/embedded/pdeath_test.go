package embedded

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdeathEnv names the file where the child test writes what it started.
const (
	pdeathEnv   = "GAMEDAY_PDEATH_REPORT"
	pdeathToken = "GAMEDAY_PDEATH_TOKEN"
)

// TestNothingOutlivesAKilledTest runs a child `go test` binary (this one)
// that starts process services, one of them in a network namespace of its
// own, SIGKILLs it mid-run, and checks that no process of its remains.
func TestNothingOutlivesAKilledTest(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	report := filepath.Join(t.TempDir(), "started")
	tok := make([]byte, 8)
	_, _ = rand.Read(tok)
	token := hex.EncodeToString(tok)
	child := exec.Command(exe, "-test.run=^TestParentDeathChild$", "-test.count=1")
	child.Env = append(os.Environ(), pdeathEnv+"="+report, pdeathToken+"="+token)
	var out bytes.Buffer
	child.Stdout, child.Stderr = &out, &out
	require.NoError(t, child.Start())
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })

	var lines []string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(report); err == nil && bytes.HasSuffix(b, []byte("\n")) {
			lines = strings.Fields(string(b))
			break
		}
	}
	require.NotEmpty(t, lines, "the child never reported its services:\n%s", out.String())
	before := withToken(token)
	require.GreaterOrEqual(t, len(before), 3, "the child's programs (and namespace holder) carry the token")

	killed := time.Now()
	require.NoError(t, child.Process.Signal(syscall.SIGKILL))
	_ = child.Wait()
	var left []int
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if left = withToken(token); len(left) == 0 {
			break
		}
	}
	t.Logf("%d processes of the killed test gone %v after its SIGKILL", len(before), time.Since(killed).Round(time.Millisecond))
	assert.Empty(t, left, "processes left after the test was SIGKILLed")
	hostIf := lines[len(lines)-1]
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if exec.Command("ip", "link", "show", hostIf).Run() != nil {
			break
		}
	}
	assert.Error(t, exec.Command("ip", "link", "show", hostIf).Run(), "veth %s outlived the test", hostIf)

	// Its empty cgroups are swept by the next run that makes one.
	sweepCgroups()
	stale, _ := filepath.Glob(filepath.Join(cgroupRoot, "*", fmt.Sprintf("gameday-%d-*", child.Process.Pid)))
	assert.Empty(t, stale, "cgroups of the killed test")
}

// TestParentDeathChild is the child of TestNothingOutlivesAKilledTest.
func TestParentDeathChild(t *testing.T) {
	report := os.Getenv(pdeathEnv)
	if report == "" {
		t.Skip("runs only as the child of TestNothingOutlivesAKilledTest")
	}
	plain := helperProc(t, "plain", "http")
	fixed := helperProc(t, "fixed", "http")
	fixed.Env["FIXED_PORT"] = fixedPort
	fixed.Process.FixedPort = 18080
	r := startWith(t, Config{}, target.System{Name: "orphans", Services: []target.Service{plain, fixed}})
	var b strings.Builder
	for _, name := range []string{"plain", "fixed"} {
		fmt.Fprintln(&b, r.services[name].current().(*procInstance).cmd.Process.Pid)
	}
	fmt.Fprintln(&b, r.services["fixed"].ns.hostIf)
	require.NoError(t, os.WriteFile(report, []byte(b.String()), 0o644))
	time.Sleep(time.Minute) // killed long before
}

// withToken lists the processes whose environment holds token.
func withToken(token string) []int {
	var pids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join(d, "environ"))
		if err == nil && bytes.Contains(env, []byte(pdeathToken+"="+token)) {
			pids = append(pids, pid)
		}
	}
	return pids
}
