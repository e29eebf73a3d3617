package fault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Partition cuts the path from one service to another. The injected
// service is whichever side is left empty: injecting Partition{From:
// "checkout"} into "payment" cuts checkout → payment; with both sides set,
// the injected service must be one of them. Both sides go through the
// Injector's blast-radius guard.
type Partition struct {
	From string // the caller
	To   string // the callee
}

// Kind is "partition".
func (Partition) Kind() string { return "partition" }

// Validate refuses a partition with neither side, or from a service to itself.
func (p Partition) Validate() error {
	var errs []error
	if p.From == "" && p.To == "" {
		errs = append(errs, errors.New("partition: set from, to or both"))
	}
	if p.From != "" && p.From == p.To {
		errs = append(errs, fmt.Errorf("partition: from and to are both %q", p.From))
	}
	return errors.Join(errs...)
}

// String reads like "partition: checkout → payment" ("*" for the injected side).
func (p Partition) String() string {
	from, to := p.From, p.To
	if from == "" {
		from = "*"
	}
	if to == "" {
		to = "*"
	}
	return "partition: " + from + " → " + to
}

// Params is the fault in ParseSpec's vocabulary.
func (p Partition) Params() map[string]string {
	m := map[string]string{}
	putString(m, "from", p.From)
	putString(m, "to", p.To)
	return m
}

// ends returns the two sides when injected into service.
func (p Partition) ends(service string) (from, to string, err error) {
	from, to = p.From, p.To
	switch {
	case from == "":
		from = service
	case to == "":
		to = service
	case service != from && service != to:
		return "", "", fmt.Errorf("partition %s → %s: injected into %s, which is neither side", from, to, service)
	}
	if from == to {
		return "", "", fmt.Errorf("partition: %s from itself", from)
	}
	return from, to, nil
}

// related lists the named sides, which the blast-radius guard also checks.
func (p Partition) related() []string {
	var out []string
	for _, s := range []string{p.From, p.To} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Apply cuts from → to; the Revert heals it.
func (p Partition) Apply(ctx context.Context, r target.Running, service string, _ time.Duration) (Revert, error) {
	from, to, err := p.ends(service)
	if err != nil {
		return nil, err
	}
	pr, ok := r.(target.Partitioner)
	if !ok {
		return nil, unsupported("partition", "partition", r)
	}
	if err := pr.Partition(ctx, from, to); err != nil {
		return nil, fmt.Errorf("partition %s → %s: %w", from, to, err)
	}
	return func(ctx context.Context) error {
		if err := pr.Heal(ctx, from, to); err != nil {
			return fmt.Errorf("heal %s → %s: %w", from, to, err)
		}
		return nil
	}, nil
}

// slot lets one service hold partitions to different peers at once.
func (p Partition) slot() string { return "partition " + p.From + ">" + p.To }
