package fault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Kill kills a service's process or container. It is started again after
// RestartAfter, or when the injection ends if RestartAfter is zero (or
// longer than the injection); with NoRestart it stays down afterwards, the
// one fault an injection deliberately leaves in place.
type Kill struct {
	RestartAfter time.Duration
	NoRestart    bool
}

// Kind is "kill".
func (Kill) Kind() string { return "kill" }

// Validate refuses a negative or unbounded RestartAfter, and RestartAfter
// together with NoRestart.
func (k Kill) Validate() error {
	errs := checkDuration(nil, "kill", "restart-after", k.RestartAfter)
	if k.NoRestart && k.RestartAfter != 0 {
		errs = append(errs, errors.New("kill: restart-after and no-restart contradict each other"))
	}
	return errors.Join(errs...)
}

// String reads like "kill: restart after 5s".
func (k Kill) String() string {
	switch {
	case k.NoRestart:
		return "kill: no restart"
	case k.RestartAfter > 0:
		return "kill: restart after " + k.RestartAfter.String()
	}
	return "kill: restart at the end"
}

// Params is the fault in ParseSpec's vocabulary.
func (k Kill) Params() map[string]string {
	p := map[string]string{}
	putDuration(p, "restart-after", k.RestartAfter)
	putBool(p, "no-restart", k.NoRestart)
	return p
}

// window shortens the injection to RestartAfter: the service is back then.
func (k Kill) window(d time.Duration) time.Duration {
	if k.RestartAfter > 0 && k.RestartAfter < d {
		return k.RestartAfter
	}
	return d
}

// Apply kills service; the Revert starts it again unless NoRestart.
func (k Kill) Apply(ctx context.Context, r target.Running, service string, _ time.Duration) (Revert, error) {
	kr, ok := r.(target.Killer)
	if !ok {
		return nil, unsupported("kill", "kill", r)
	}
	if err := kr.Kill(ctx, service); err != nil {
		return nil, fmt.Errorf("kill %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if k.NoRestart {
			return nil
		}
		if err := kr.Start(ctx, service); err != nil {
			return fmt.Errorf("restart %s: %w", service, err)
		}
		return nil
	}, nil
}
