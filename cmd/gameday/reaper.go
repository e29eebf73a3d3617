package main

import (
	"context"
	"io"

	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// `gameday reaper` is the body of a docker run's watchdog container: it
// sweeps the run when the process that started it dies (see
// entrypoint.Reap).
func init() {
	register(command{name: "reaper", summary: "sweep a docker run when its owner dies (inside a container)", run: runReaper})
}

func runReaper(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return entrypoint.Reaper(ctx, args, stdout, stderr)
}
