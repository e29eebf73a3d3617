package docker_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// reaperChildEnv makes the test binary, re-executed by the test, the owner
// of a run instead of a test runner.
const reaperChildEnv = "GAMEDAY_REAPER_TEST_CHILD"

// reaperSweepBound is how soon after its owner's SIGKILL a run must be
// gone: issue 13 asks faults to end within their duration + 5 s.
const reaperSweepBound = 5 * time.Second

func init() {
	if os.Getenv(reaperChildEnv) == "" {
		return
	}
	// The child: start a run (gameday's own system, or with "team" a
	// team's containers alone, whose sidecar image is gameday-agent's),
	// pause a service, say so, and wait to be SIGKILLed by the parent.
	ctx := context.Background()
	sys, paused := dockertest.System(), "api"
	if os.Getenv(reaperChildEnv) == "team" {
		sys, paused = teamSystem(buildTeamImages(&childTB{}), false), "cache"
	}
	r, err := docker.New().StartSystem(ctx, sys)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	if err := r.Pause(ctx, paused); err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("READY", r.RunID())
	time.Sleep(time.Hour)
}

func TestReaperSweepsRunOfKilledOwner(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a docker run in a child process")
	}
	// 2 services, 2 sidecars and the reaper
	reaperSweepsKilledOwner(t, "1", 5, 0, "api")
}

// A system of a team's containers alone has no gameday binary: its
// sidecar image is gameday-agent's, which is its reaper too.
func TestReaperSweepsTeamContainersOfKilledOwner(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a docker run in a child process")
	}
	// web, api and cache, a sidecar in front of each, the reaper, and
	// api's named volume
	reaperSweepsKilledOwner(t, "team", 7, 1, "cache")
}

func reaperSweepsKilledOwner(t *testing.T, mode string, containers, volumes int, paused string) {
	state := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), reaperChildEnv+"="+mode, "XDG_RUNTIME_DIR="+state, "TMPDIR="+t.TempDir())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		// if the reaper failed, leave nothing behind anyway
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = docker.Sweep(ctx)
	})
	sc := bufio.NewScanner(out)
	var runID string
	for sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
			runID = id
			break
		}
		require.NotContains(t, sc.Text(), "ERROR")
	}
	require.NotEmpty(t, runID, "the child never started its run")
	c, n := leftovers(t, runID)
	require.Equal(t, containers, c, "containers of the run, its reaper included")
	require.Equal(t, 1, n)
	require.Equal(t, volumes, leftoverVolumes(t, runID))

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	for {
		c, n = leftovers(t, runID)
		v := leftoverVolumes(t, runID)
		if c == 0 && n == 0 && v == 0 {
			break
		}
		if time.Since(killed) > reaperSweepBound {
			t.Fatalf("%s after the owner's SIGKILL: %d containers, %d networks and %d volumes of run %s remain", reaperSweepBound, c, n, v, runID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("run %s gone %s after its owner's SIGKILL", runID, time.Since(killed).Round(time.Millisecond))
	data, err := os.ReadFile(filepath.Join(state, "gameday", "sweeps.log"))
	require.NoError(t, err, "the reaper logs its sweep")
	require.Contains(t, string(data), "reaper: owner connection closed")
	require.Contains(t, string(data), "swept run "+runID+": unpaused ["+paused+"]", "the paused service is unpaused (its fault reverted) before removal")
}

// childTB is the testing.TB the child process builds the team's images
// with: it has no test running, so a failure ends the child, saying why.
type childTB struct{ testing.TB }

func (childTB) Helper()                   {}
func (childTB) TempDir() string           { d, _ := os.MkdirTemp("", "gameday-reaper-child-"); return d }
func (childTB) Errorf(f string, a ...any) { fmt.Printf("ERROR "+f+"\n", a...) }
func (childTB) FailNow()                  { os.Exit(1) }
