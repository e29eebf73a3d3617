package docker

import (
	"context"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// AgentPackage is the sidecar-only command the target builds for a system
// that has no Binary of its own (one made only of containers).
const AgentPackage = "github.com/gameday-dev/gameday/harness/target/docker/cmd/gameday-agent"

// AgentBinary builds AgentPackage (static, cached by content hash) from
// the gameday module this package was compiled from, and returns its path.
func AgentBinary(ctx context.Context) (string, error) {
	root, err := binary.SourceModule()
	if err != nil {
		return "", fmt.Errorf("agent binary: %w", err)
	}
	return binary.Build(ctx, binary.Config{ModuleDir: root, Package: AgentPackage})
}
