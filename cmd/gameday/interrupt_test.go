package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stuckStopEnv makes the re-executed test binary a command whose orderly
// stop hangs, to show the second Ctrl-C forcing the exit.
const stuckStopEnv = "GAMEDAY_TEST_STUCK_STOP"

func init() {
	if os.Getenv(stuckStopEnv) == "" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer forceExitOnSecondSignal(ctx, os.Stderr)()
	fmt.Println("serving")
	<-ctx.Done()
	fmt.Println("stopping")
	time.Sleep(time.Hour) // a cleanup that never ends
	os.Exit(0)
}

func TestSecondInterruptForcesExit(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), stuckStopEnv+"=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(out)
	expect := func(want string) {
		t.Helper()
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("child printed %q, want %q (stderr: %s)", lines.Text(), want, stderr.String())
		}
	}
	expect("serving")
	_ = cmd.Process.Signal(os.Interrupt)
	expect("stopping")
	time.Sleep(200 * time.Millisecond) // the orderly stop is under way, and stuck
	sent := time.Now()
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitForced {
			t.Fatalf("forced exit = %v, want exit code %d", err, exitForced)
		}
		t.Logf("exited %s after the second Ctrl-C", time.Since(sent).Round(time.Millisecond))
	case <-time.After(forcedRevertTimeout + 5*time.Second):
		t.Fatal("the second Ctrl-C did not end the process")
	}
	if !strings.Contains(stderr.String(), "second interrupt: reverting faults and exiting now") {
		t.Fatalf("stderr does not say why it exited: %s", stderr.String())
	}
}
