package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/target"
)

// Fault is one kind of disruption, defined once in package kind (its
// parameters, Validate, text form and CLI flags). Kind and Params describe
// it in ParseSpec's vocabulary, so that ParseSpec(f.Kind(), f.Params())
// rebuilds f; String reads well on a timeline ("http: delay 900ms±150ms,
// 0% errors"). Apply puts a fault into a running system.
type Fault = kind.Fault

// Revert removes an applied fault. The Injector calls it at most once.
type Revert func(ctx context.Context) error

// Applier is a Fault that applies itself; the kinds of package kind are
// applied by Apply according to their layer.
type Applier interface {
	Fault
	Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error)
}

// Apply installs f on one service of r and returns the function that
// removes it. ttl bounds the fault where the target can enforce it by
// itself (the fault proxies do), so a fault outlives its injection by at
// most a small margin even if the harness dies.
func Apply(ctx context.Context, f Fault, r target.Running, service string, ttl time.Duration) (Revert, error) {
	switch f := f.(type) {
	case Applier:
		return f.Apply(ctx, r, service, ttl)
	case HTTP:
		return applyHTTP(ctx, f, r, service, ttl)
	case GRPC:
		return applyGRPC(ctx, f, r, service, ttl)
	case kind.TCP:
		return applyTCP(ctx, r, f, service, ttl)
	case Kill:
		return applyKill(ctx, f, r, service)
	case Pause:
		return applyPause(ctx, r, service)
	case Partition:
		return applyPartition(ctx, f, r, service)
	case MemoryLimit:
		return applyMemoryLimit(ctx, f, r, service)
	case CPULimit:
		return applyCPULimit(ctx, f, r, service)
	}
	return nil, fmt.Errorf("%s fault: no way to apply %T: %w", f.Kind(), f, target.ErrUnsupported)
}

// unsupported wraps target.ErrUnsupported with the kind and capability.
func unsupported(kind, capability string, r target.Running) error {
	return fmt.Errorf("%s fault: %s target has no %s capability: %w", kind, r.Kind(), capability, target.ErrUnsupported)
}
