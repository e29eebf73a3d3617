// Command gameday-agent is the fault-proxy sidecar alone (`agent ...`,
// the same entrypoint code as `gameday agent`, and `serve -probe ADDR`,
// the target's health probe) and the run's reaper (`reaper ...`, as
// `gameday reaper`). The docker target builds it into the sidecar image
// of a system that has no binary of its own: one made only of containers
// (a team's images, a compose file), whose run is then swept by its own
// reaper when its owner dies, as the demo's is.
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
	switch {
	case len(os.Args) > 1 && os.Args[1] == "agent":
		code = entrypoint.Agent(ctx, os.Args[2:], os.Stdout, os.Stderr)
	case len(os.Args) == 4 && os.Args[1] == "serve" && os.Args[2] == "-probe":
		// The health probe the target runs in the sidecar, with
		// gameday's own spelling (it serves no service).
		code = entrypoint.ExitOK
		if err := entrypoint.Probe(ctx, os.Args[3]); err != nil {
			fmt.Fprintf(os.Stderr, "probe %s: %v\n", os.Args[3], err)
			code = entrypoint.ExitError
		}
	case len(os.Args) > 1 && os.Args[1] == "reaper":
		code = entrypoint.Reaper(ctx, os.Args[2:], os.Stdout, os.Stderr)
	default:
		fmt.Fprintln(os.Stderr, "usage: gameday-agent agent ... | reaper ... | serve -probe HOST:PORT")
	}
	stop()
	os.Exit(code)
}
