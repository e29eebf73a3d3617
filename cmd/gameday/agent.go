package main

import (
	"context"
	"io"

	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// `gameday agent` is the body of a fault-proxy sidecar on the docker
// target (see entrypoint.Agent for its flags).
func init() {
	register(command{name: "agent", summary: "run a fault-proxy sidecar (inside a container)", run: runAgent})
}

func runAgent(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return entrypoint.Agent(ctx, args, stdout, stderr)
}
