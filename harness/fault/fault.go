package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Fault is one kind of disruption. Validate reports every problem with the
// fault's parameters; Apply installs it on one service of r and returns the
// function that removes it. ttl bounds the fault where the target can
// enforce it by itself (the fault proxies do), so a fault outlives its
// injection by at most a small margin even if the harness dies.
//
// Kind and Params describe the fault in ParseSpec's vocabulary, so that
// ParseSpec(f.Kind(), f.Params()) rebuilds f; String reads well on a
// timeline ("http: delay 900ms±150ms, 0% errors").
type Fault interface {
	Kind() string
	Params() map[string]string
	Validate() error
	String() string
	Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error)
}

// Revert removes an applied fault. The Injector calls it at most once.
type Revert func(ctx context.Context) error

// maxFaultDuration bounds every duration inside a fault's parameters
// (delays, timeouts), like DefaultMaxDuration bounds a schedule.
const maxFaultDuration = time.Hour

// unsupported wraps target.ErrUnsupported with the kind and capability.
func unsupported(kind, capability string, r target.Running) error {
	return fmt.Errorf("%s fault: %s target has no %s capability: %w", kind, r.Kind(), capability, target.ErrUnsupported)
}

// checkDuration appends a problem when d is negative or above the bound.
func checkDuration(errs []error, kind, name string, d time.Duration) []error {
	switch {
	case d < 0:
		errs = append(errs, fmt.Errorf("%s: %s %v is negative", kind, name, d))
	case d > maxFaultDuration:
		errs = append(errs, fmt.Errorf("%s: %s %v is above the %v bound", kind, name, d, maxFaultDuration))
	}
	return errs
}
