// Command gameday-agent is the fault-proxy sidecar alone (`agent ...`,
// the same entrypoint code as `gameday agent`). The docker target builds it
// into the sidecar image of a system that has no binary of its own: one
// made only of containers (a team's images, a compose file).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := entrypoint.ExitUsage
	if len(os.Args) > 1 && os.Args[1] == "agent" {
		code = entrypoint.Agent(ctx, os.Args[2:], os.Stdout, os.Stderr)
	} else {
		fmt.Fprintln(os.Stderr, "usage: gameday-agent agent ...")
	}
	stop()
	os.Exit(code)
}
