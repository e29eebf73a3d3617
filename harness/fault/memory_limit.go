package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// MinMemoryLimit is the smallest memory limit accepted: Docker refuses
// limits below 6 MiB.
const MinMemoryLimit = 6 << 20

// MemoryLimit caps a service's memory (containers only: other targets
// refuse it with target.ErrUnsupported). A service that outgrows it is
// OOM-killed, which the target reports through Limiter.State. On revert the
// limit is set to 0, which a Limiter takes as "no limit" (the docker target
// lifts it).
type MemoryLimit struct {
	Bytes int64
}

// Kind is "memory-limit".
func (MemoryLimit) Kind() string { return "memory-limit" }

// Validate refuses limits below MinMemoryLimit.
func (m MemoryLimit) Validate() error {
	if m.Bytes < MinMemoryLimit {
		return fmt.Errorf("memory-limit: %s is below the %s minimum", formatBytes(m.Bytes), formatBytes(MinMemoryLimit))
	}
	return nil
}

// String reads like "memory-limit: 20Mi".
func (m MemoryLimit) String() string { return "memory-limit: " + formatBytes(m.Bytes) }

// Params is the fault in ParseSpec's vocabulary.
func (m MemoryLimit) Params() map[string]string {
	return map[string]string{"bytes": formatBytes(m.Bytes)}
}

// Apply sets the limit; the Revert lifts it.
func (m MemoryLimit) Apply(ctx context.Context, r target.Running, service string, _ time.Duration) (Revert, error) {
	l, ok := r.(target.Limiter)
	if !ok {
		return nil, unsupported("memory-limit", "resource limit", r)
	}
	if err := l.SetMemoryLimit(ctx, service, m.Bytes); err != nil {
		return nil, fmt.Errorf("limit memory of %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := l.SetMemoryLimit(ctx, service, 0); err != nil {
			return fmt.Errorf("lift memory limit of %s: %w", service, err)
		}
		return nil
	}, nil
}
