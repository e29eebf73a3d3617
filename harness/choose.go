package harness

import (
	"context"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/embedded"
)

// chooseTarget resolves a target name; it says why it chose what it chose.
func chooseTarget(ctx context.Context, name string) (target.Target, string, error) {
	switch name {
	case "", "auto":
		if err := dockerAvailable(ctx); err != nil {
			return embedded.New(), fmt.Sprintf("auto: no docker engine answers (%v); using embedded", err), nil
		}
		return newDocker(), "auto: a docker engine answers", nil
	case "embedded":
		return embedded.New(), "asked for", nil
	case "docker":
		if err := dockerAvailable(ctx); err != nil {
			return nil, "", fmt.Errorf("target docker: %w", err)
		}
		return newDocker(), "asked for", nil
	}
	return nil, "", fmt.Errorf("unknown target %q (want embedded, docker or auto)", name)
}
