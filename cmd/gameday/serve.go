package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// `gameday serve SERVICE` is the body of a service container on the docker
// target: one service of the system on :$PORT, configured from the
// environment, until SIGTERM. GAMEDAY_SYSTEM picks the system: the demo
// shop by default, "dockertest" for the docker target's own test system.
func init() {
	register(command{name: "serve", summary: "run one service of the system (inside a container)", run: runServe})
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sys, err := systemFromEnv(os.Getenv(dockertest.SystemEnv))
	if err != nil {
		fmt.Fprintf(stderr, "gameday serve: %v\n", err)
		return exitUsage
	}
	return entrypoint.Serve(ctx, sys, args, stdout, stderr)
}

// systemFromEnv picks the system named by GAMEDAY_SYSTEM.
func systemFromEnv(name string) (target.System, error) {
	switch name {
	case dockertest.Name:
		return dockertest.Wide(dockertest.MaxWide), nil
	case "", "demo":
		return fixtures.Demo(), nil
	}
	return target.System{}, fmt.Errorf("unknown system %q in %s: want demo or %s", name, dockertest.SystemEnv, dockertest.Name)
}
