package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
)

// forcedRevertTimeout bounds reverting faults on a forced exit.
const forcedRevertTimeout = 5 * time.Second

// exitForced is the exit code of a forced exit: interrupted, like the
// first Ctrl-C (exit 2).
const exitForced = exitUsage

// forceExitOnSecondSignal arms the forced exit: once ctx is done (the
// first Ctrl-C or SIGTERM, which starts the orderly stop), another one
// reverts every active fault (at most forcedRevertTimeout) and exits at
// once, without waiting for the rest of the cleanup. What the orderly stop
// leaves is swept without this process: docker runs by their reaper,
// process services by their parent-death signal. stop disarms it.
func forceExitOnSecondSignal(ctx context.Context, stderr io.Writer) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		sigs := make(chan os.Signal, 2)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sigs)
		fmt.Fprintln(stderr, "gameday: stopping; press Ctrl-C again to force exit")
		for {
			select {
			case <-done:
				return
			case <-sigs:
				if fault.TakeEcho() {
					continue // the fault package raising the first signal again
				}
				fmt.Fprintln(stderr, "gameday: second interrupt: reverting faults and exiting now")
				rctx, cancel := context.WithTimeout(context.Background(), forcedRevertTimeout)
				fault.RevertActive(rctx)
				cancel()
				os.Exit(exitForced)
			}
		}
	}()
	return func() { close(done) }
}
