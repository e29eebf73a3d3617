package fault

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exit paths a test process can take without returning normally are
// proven in a child process: this test binary, run again with
// -test.run=TestHelperProcess and a mode. The child's fake target appends
// every action to a file, which the parent reads after the child is gone.
const (
	helperModeEnv = "GAMEDAY_FAULT_HELPER"
	helperLogEnv  = "GAMEDAY_FAULT_LOG"
)

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperModeEnv)
	if mode == "" {
		t.Skip("child process of the exit-path tests")
	}
	fake := newFake("cart")
	fake.logFile = os.Getenv(helperLogEnv)
	switch mode {
	case "panic", "fail":
		inj, err := NewInjector(fake, nil, WithoutSignalRevert())
		require.NoError(t, err)
		InjectT(t, inj, "cart", Pause{}, For(time.Minute))
		if mode == "panic" {
			panic("boom in the test body")
		}
		t.Fatal("the SLO was violated")
	case "signal":
		inj, err := NewInjector(fake, nil)
		require.NoError(t, err)
		_, err = inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
		require.NoError(t, err)
		os.Stdout.WriteString("ready\n")
		time.Sleep(20 * time.Second) // the parent signals long before
		t.Error("still alive after the signal")
	}
}

// runHelper starts the child in mode and returns it with the log path.
func runHelper(t *testing.T, mode string) (*exec.Cmd, *bufio.Reader, string) {
	t.Helper()
	logFile := filepath.Join(t.TempDir(), "actions.log")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperModeEnv+"="+mode, helperLogEnv+"="+logFile)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	return cmd, bufio.NewReader(stdout), logFile
}

func actions(t *testing.T, logFile string) []string {
	t.Helper()
	data, err := os.ReadFile(logFile)
	require.NoError(t, err)
	return strings.Fields(strings.ReplaceAll(string(data), " ", "_"))
}

func TestRevertedWhenTestBodyPanicsOrFails(t *testing.T) {
	for _, mode := range []string{"panic", "fail"} {
		t.Run(mode, func(t *testing.T) {
			cmd, out, logFile := runHelper(t, mode)
			var all strings.Builder
			_, _ = bufio.NewReader(out).WriteTo(&all)
			err := cmd.Wait()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "child should fail: %v\n%s", err, all.String())
			if mode == "panic" {
				assert.Contains(t, all.String(), "panic: boom in the test body")
			} else {
				assert.Contains(t, all.String(), "the SLO was violated")
			}
			assert.Equal(t, []string{"pause_cart", "unpause_cart"}, actions(t, logFile),
				"the fault must be reverted before the process ends")
		})
	}
}

func TestRevertedOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, out, logFile := runHelper(t, "signal")
			line, err := out.ReadString('\n')
			require.NoError(t, err)
			for !strings.HasPrefix(line, "ready") {
				line, err = out.ReadString('\n')
				require.NoError(t, err, "child never got ready")
			}
			assert.Equal(t, []string{"pause_cart"}, actions(t, logFile))
			require.NoError(t, cmd.Process.Signal(sig))
			_, _ = out.WriteTo(&strings.Builder{})
			err = cmd.Wait()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "child should die of the signal: %v", err)
			ws := exit.Sys().(syscall.WaitStatus)
			assert.True(t, ws.Signaled(), "the signal is raised again after the revert")
			assert.Equal(t, sig, ws.Signal())
			assert.Equal(t, []string{"pause_cart", "unpause_cart"}, actions(t, logFile))
		})
	}
}
