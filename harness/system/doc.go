// Package system describes a team's own system under test for gameday:
// its services (programs started as processes, services already running
// at a URL, containers) and the edges between them.
//
// Each caller → callee edge is declared the way the caller learns the
// callee's address, through the caller's own environment variable and
// format:
//
//	sys := system.New("shop",
//		system.Process("inventory", "./bin/shop", system.Args("serve", "inventory"),
//			system.ListenEnv("LISTEN_ADDR"), system.Health("/ready")),
//		system.Process("orders", "./bin/shop", system.Args("serve", "orders"),
//			system.ListenEnv("LISTEN_ADDR"), system.Public(),
//			system.Calls("inventory", "INVENTORY_URL", "http://{addr}")),
//	)
//	env := harness.Start(t, sys)
//
// Containers use testcontainers-go's own types: Container takes a
// testcontainers.GenericContainerRequest (a local image or FromDockerfile),
// Module a testcontainers-go module's Run (redis.Run, ...), and Compose
// reads a whole docker compose file; the docker target runs them with a
// fault proxy that takes over each service's name on the run's network.
//
// gameday picks every port, starts a fault proxy per edge and points the
// caller's variable at it, so HTTP/gRPC/TCP faults and per-edge counts need
// no change to the programs. A mistake in the description (an option that
// does not apply to a kind, an empty path) is reported when the system
// starts, never as a panic.
package system
