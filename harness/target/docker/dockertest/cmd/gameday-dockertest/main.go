// Command gameday-dockertest is a small stand-in for the gameday binary
// that serves only the dockertest system: `serve SERVICE` and `agent ...`
// behave exactly as gameday's (same entrypoint code). The docker target's
// own tests run it, so they build fast and do not depend on the rest of
// the CLI.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := entrypoint.ExitUsage
	switch {
	case len(os.Args) > 1 && os.Args[1] == "serve":
		code = entrypoint.Serve(ctx, dockertest.Wide(dockertest.MaxWide), os.Args[2:], os.Stdout, os.Stderr)
	case len(os.Args) > 1 && os.Args[1] == "agent":
		code = entrypoint.Agent(ctx, os.Args[2:], os.Stdout, os.Stderr)
	case len(os.Args) > 1 && os.Args[1] == "reaper":
		code = entrypoint.Reaper(ctx, os.Args[2:], os.Stdout, os.Stderr)
	default:
		fmt.Fprintln(os.Stderr, "usage: gameday-dockertest serve SERVICE | agent ... | reaper ...")
	}
	stop()
	os.Exit(code)
}
