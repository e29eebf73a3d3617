package harness

import (
	"context"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/embedded"
)

// chooseTarget resolves a target name for sys; it says why it chose what
// it chose. auto never fails for lack of a docker form: a system that has
// none runs locally.
func chooseTarget(ctx context.Context, name string, sys target.System, cfg config) (target.Target, string, error) {
	switch name {
	case "", "auto":
		if why := localOnly(sys); why != "" {
			return newLocal(cfg), "auto: " + why + "; running it locally", nil
		}
		if err := dockerAvailable(ctx); err != nil {
			if c := containerService(sys); c != "" {
				return nil, "", fmt.Errorf("target auto: %s is a container and no docker engine answers: %w", c, err)
			}
			return newLocal(cfg), fmt.Sprintf("auto: no docker engine answers (%v); using embedded", err), nil
		}
		return newDocker(), "auto: a docker engine answers", nil
	case "embedded", "local":
		return newLocal(cfg), "asked for", nil
	case "docker":
		if why := localOnly(sys); why != "" {
			return nil, "", fmt.Errorf("target docker: %s; run it with the embedded target (local processes), or give it a container form", why)
		}
		if err := dockerAvailable(ctx); err != nil {
			return nil, "", fmt.Errorf("target docker: %w", err)
		}
		return newDocker(), "asked for", nil
	}
	return nil, "", fmt.Errorf("unknown target %q (want embedded, docker or auto)", name)
}

// localOnly says why sys cannot run on docker ("" when it can): the docker
// target runs a system's Go services from its Binary; process and
// external services run where the test runs.
func localOnly(sys target.System) string {
	containersOnly := true
	for _, s := range sys.Services {
		switch s.Kind() {
		case target.KindProcess:
			return fmt.Sprintf("system %s has no container form (%s is a process)", sys.Name, s.Name)
		case target.KindExternal:
			return fmt.Sprintf("system %s has no container form (%s is external)", sys.Name, s.Name)
		case target.KindContainer:
		default:
			containersOnly = false
		}
	}
	if !containersOnly && sys.Binary == nil { // a system of containers only needs none
		return fmt.Sprintf("system %s has no container form (no Binary)", sys.Name)
	}
	return ""
}

// containerService names a service of sys that only the docker target
// runs ("" when none).
func containerService(sys target.System) string {
	for _, s := range sys.Services {
		if s.Kind() == target.KindContainer {
			return s.Name
		}
	}
	return ""
}

// newLocal is the embedded target, logging and keeping process output
// where the Env does.
func newLocal(cfg config) target.Target {
	t, err := embedded.NewWithConfig(embedded.Config{Log: cfg.log, ArtifactDir: cfg.artifactDir})
	if err != nil { // the config above has nothing to validate
		return embedded.New()
	}
	return t
}
