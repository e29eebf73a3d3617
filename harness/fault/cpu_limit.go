package fault

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// maxCPUs bounds CPULimit: more than any machine this runs on.
const maxCPUs = 1024

// CPULimit caps a service's CPU to a number of cores (containers only:
// other targets refuse it with target.ErrUnsupported). On revert the limit
// is set to 0, which a Limiter takes as "no limit" (the docker target gives
// the service every CPU back).
type CPULimit struct {
	CPUs float64
}

// Kind is "cpu-limit".
func (CPULimit) Kind() string { return "cpu-limit" }

// Validate refuses zero, negative, NaN and absurd CPU counts.
func (c CPULimit) Validate() error {
	if math.IsNaN(c.CPUs) || c.CPUs <= 0 || c.CPUs > maxCPUs {
		return fmt.Errorf("cpu-limit: %v CPUs is outside (0, %d]", c.CPUs, maxCPUs)
	}
	return nil
}

// String reads like "cpu-limit: 0.5 CPUs".
func (c CPULimit) String() string { return "cpu-limit: " + trimFloat(c.CPUs, 6) + " CPUs" }

// Params is the fault in ParseSpec's vocabulary.
func (c CPULimit) Params() map[string]string {
	p := map[string]string{}
	putFloat(p, "cpus", c.CPUs)
	return p
}

// Apply sets the limit; the Revert lifts it.
func (c CPULimit) Apply(ctx context.Context, r target.Running, service string, _ time.Duration) (Revert, error) {
	l, ok := r.(target.Limiter)
	if !ok {
		return nil, unsupported("cpu-limit", "resource limit", r)
	}
	if err := l.SetCPULimit(ctx, service, c.CPUs); err != nil {
		return nil, fmt.Errorf("limit cpu of %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := l.SetCPULimit(ctx, service, 0); err != nil {
			return fmt.Errorf("lift cpu limit of %s: %w", service, err)
		}
		return nil
	}, nil
}
