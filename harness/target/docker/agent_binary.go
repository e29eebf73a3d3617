package docker

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// AgentPackage is the sidecar-only command the target builds for a system
// that has no Binary of its own (one made only of containers).
const AgentPackage = "github.com/gameday-dev/gameday/harness/target/docker/cmd/gameday-agent"

// AgentBinary builds AgentPackage (static, cached by content hash) from
// the gameday module this package was compiled from, and returns its path.
func AgentBinary(ctx context.Context) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("agent binary: no source path")
	}
	root, err := binary.ModuleRoot(filepath.Dir(file))
	if err != nil {
		return "", fmt.Errorf("agent binary: %w", err)
	}
	return binary.Build(ctx, binary.Config{ModuleDir: root, Package: AgentPackage})
}
