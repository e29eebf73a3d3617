package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Pause freezes a service: it keeps its connections but answers nothing
// until the injection ends and it is unpaused.
type Pause struct{}

// Kind is "pause".
func (Pause) Kind() string { return "pause" }

// Validate never fails: Pause has no parameters.
func (Pause) Validate() error { return nil }

// String is "pause".
func (Pause) String() string { return "pause" }

// Params is empty.
func (Pause) Params() map[string]string { return map[string]string{} }

// Apply pauses service; the Revert unpauses it.
func (Pause) Apply(ctx context.Context, r target.Running, service string, _ time.Duration) (Revert, error) {
	p, ok := r.(target.Pauser)
	if !ok {
		return nil, unsupported("pause", "pause", r)
	}
	if err := p.Pause(ctx, service); err != nil {
		return nil, fmt.Errorf("pause %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := p.Unpause(ctx, service); err != nil {
			return fmt.Errorf("unpause %s: %w", service, err)
		}
		return nil
	}, nil
}
