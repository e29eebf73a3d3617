package kind

import (
	"errors"
	"fmt"
)

// Partition cuts the path from one service to another. The injected
// service is whichever side is left empty: injecting Partition{From:
// "checkout"} into "payment" cuts checkout → payment; with both sides set,
// the injected service must be one of them.
type Partition struct {
	From string // the caller
	To   string // the callee
}

func init() {
	Register(Def{Name: "partition", Layer: LayerLifecycle, Summary: "cut the path from one service to another",
		Example: map[string]string{"from": "checkout"},
		Params: []Param{
			{Key: "from", Help: "the caller side (default: the injected service)"},
			{Key: "to", Help: "the callee side (default: the injected service)"},
		},
		New: func(r *Reader) Fault { return Partition{From: r.Name("from"), To: r.Name("to")} }})
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

// Params is the fault's text form.
func (p Partition) Params() map[string]string {
	return Writer{}.String("from", p.From).String("to", p.To)
}

// Ends returns the two sides when injected into service.
func (p Partition) Ends(service string) (from, to string, err error) {
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
		return "", "", fmt.Errorf("partition: %s from itself (name the other side with from or to)", from)
	}
	return from, to, nil
}

// Related lists the named sides, which the blast-radius guard also checks.
func (p Partition) Related() []string {
	var out []string
	for _, s := range []string{p.From, p.To} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
