package harness

import (
	"context"
	"testing"

	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/system"
)

// A system made only of containers has no Binary and needs none: auto and
// docker both run it on docker (this machine has an engine).
func TestAutoRunsAContainerSystemOnDocker(t *testing.T) {
	sys := system.New("team", system.Container("api", testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{Image: "team/api:1", ExposedPorts: []string{"80/tcp"}}}))
	for _, name := range []string{"auto", "docker"} {
		tgt, why, err := chooseTarget(context.Background(), name, sys, defaultConfig())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tgt.Name() != "docker" {
			t.Errorf("%s: target %s (%s), want docker", name, tgt.Name(), why)
		}
	}
}
