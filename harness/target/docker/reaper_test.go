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
	// The child: start a run, pause and kill a service, say so, and wait
	// to be SIGKILLed by the parent.
	ctx := context.Background()
	r, err := docker.New().StartSystem(ctx, dockertest.System())
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	if err := r.Pause(ctx, "api"); err != nil {
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
	state := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), reaperChildEnv+"=1", "XDG_RUNTIME_DIR="+state)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
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
	t.Cleanup(func() { // if the reaper failed, leave nothing behind anyway
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = docker.Sweep(ctx)
	})
	c, n := leftovers(t, runID)
	require.Equal(t, 5, c, "containers of the run: 2 services, 2 sidecars and the reaper")
	require.Equal(t, 1, n)

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	for {
		c, n = leftovers(t, runID)
		if c == 0 && n == 0 {
			break
		}
		if time.Since(killed) > reaperSweepBound {
			t.Fatalf("%s after the owner's SIGKILL: %d containers and %d networks of run %s remain", reaperSweepBound, c, n, runID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("run %s gone %s after its owner's SIGKILL", runID, time.Since(killed).Round(time.Millisecond))
	data, err := os.ReadFile(filepath.Join(state, "gameday", "sweeps.log"))
	require.NoError(t, err, "the reaper logs its sweep")
	require.Contains(t, string(data), "reaper: owner connection closed")
	require.Contains(t, string(data), "swept run "+runID+": unpaused [api]", "the paused service is unpaused (its fault reverted) before removal")
}
