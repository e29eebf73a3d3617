package fault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// keepFinished is how many finished injections an Injector remembers for
// Injections (the control API's GET /faults).
const keepFinished = 64

// Errors of Inject.
var (
	// ErrRefused wraps every refusal made before anything is injected: an
	// invalid fault or schedule, or a selector the blast-radius guard
	// refuses (then it also wraps ErrNoMatch, ErrTooManyTargets or
	// ErrForbidden).
	ErrRefused = errors.New("refused")
	// ErrConflict is a fault refused because a service already holds one
	// of the same kind (all TCP kinds count as one): reverting either would
	// clear both at the proxy.
	ErrConflict = errors.New("conflicts with an active fault")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("injector closed")
)

// Injector injects faults into the services of one running system and
// records them on a timeline. It is safe for concurrent use.
type Injector struct {
	running target.Running
	tl      *timeline.Timeline
	cfg     Config

	mu     sync.Mutex
	seq    int
	list   []*Injection // in creation order: active, pending and recently finished
	closed bool
}

// NewInjector returns an Injector for running that records on tl (a fresh
// timeline when nil).
func NewInjector(running target.Running, tl *timeline.Timeline, opts ...Option) (*Injector, error) {
	var cfg Config
	for _, o := range opts {
		o(&cfg)
	}
	cfg = cfg.withDefaults()
	if running == nil {
		return nil, errors.New("new injector: running system is nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new injector: %w", err)
	}
	if tl == nil {
		tl = timeline.New(time.Now())
	}
	return &Injector{running: running, tl: tl, cfg: cfg}, nil
}

// Timeline is where injections and reverts are recorded.
func (in *Injector) Timeline() *timeline.Timeline { return in.tl }

// Match resolves selector to the services a fault would go into, refusing
// (with a *SelectorError) nothing, too many, or forbidden services.
func (in *Injector) Match(selector string) ([]string, error) {
	return match(selector, in.running.Services(), in.cfg.MaxTargets, in.cfg.Forbid)
}

// Inject puts f into every service selector matches, on sched. Everything
// is checked before anything is injected: the fault's parameters, the
// schedule's bounds and the blast radius. With a zero sched.Start the fault
// is in place when Inject returns; otherwise it goes in later and a failure
// then is reported by Wait and Err. The fault is reverted when sched ends,
// on Revert, or when ctx is cancelled.
func (in *Injector) Inject(ctx context.Context, selector string, f Fault, sched Schedule) (*Injection, error) {
	if f == nil {
		return nil, errors.New("inject: fault is nil")
	}
	var errs []error
	if err := f.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := sched.validate(in.cfg.MaxDuration); err != nil {
		errs = append(errs, err)
	}
	services, matchErr := in.Match(selector)
	if matchErr != nil {
		errs = append(errs, matchErr)
	}
	if err := in.checkRelated(f); err != nil {
		errs = append(errs, err)
	}
	if matchErr == nil {
		errs = append(errs, checkFor(f, services, sched)...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("inject %s into %q: %w: %w", f.Kind(), selector, ErrRefused, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("inject %s into %q: %w", f.Kind(), selector, err)
	}

	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil, fmt.Errorf("inject %s into %q: %w", f.Kind(), selector, ErrClosed)
	}
	if err := in.conflict(f, services); err != nil {
		in.mu.Unlock()
		return nil, fmt.Errorf("inject %s into %q: %w: %w", f.Kind(), selector, ErrRefused, err)
	}
	in.seq++
	inj := newInjection(in, "f"+strconv.Itoa(in.seq), selector, f, services, sched)
	in.list = append(in.list, inj)
	in.mu.Unlock()

	if !in.cfg.NoSignalRevert {
		track(inj)
	}
	if sched.Start == 0 {
		if err := inj.apply(ctx); err != nil {
			return nil, err
		}
	}
	go inj.run(ctx)
	return inj, nil
}

// checkRelated puts the other services a fault names (a partition's sides)
// through the guard: they must exist and not be forbidden.
func (in *Injector) checkRelated(f Fault) error {
	p, ok := f.(Partition)
	if !ok {
		return nil
	}
	services := in.running.Services()
	var errs []error
	for _, s := range p.Related() {
		if !slices.Contains(services, s) {
			errs = append(errs, fmt.Errorf("%s names %q: %w", f.Kind(), s, target.ErrUnknownService))
		} else if len(forbidden([]string{s}, in.cfg.Forbid)) > 0 {
			errs = append(errs, fmt.Errorf("%s names %q: %w", f.Kind(), s, ErrForbidden))
		}
	}
	return errors.Join(errs...)
}

// slotOf names what a fault occupies in a service: its kind, or a shared
// slot (every TCP kind occupies "tcp").
func slotOf(f Fault) string {
	switch f := f.(type) {
	case kind.TCP:
		return "tcp" // applyTCP's Revert clears every TCP fault of a service
	case Partition:
		return "partition " + f.From + ">" + f.To // partitions to different peers coexist
	}
	return f.Kind()
}

// checkFor reports what is wrong with f for these services on sched: a kill
// that would restart after the fault ends, a partition from a service to
// itself.
func checkFor(f Fault, services []string, sched Schedule) []error {
	var errs []error
	if v, ok := f.(interface{ ValidateFor(time.Duration) error }); ok {
		if err := v.ValidateFor(sched.Duration); err != nil {
			errs = append(errs, err)
		}
	}
	if p, ok := f.(Partition); ok {
		for _, svc := range services {
			if svc == "" || strings.ContainsAny(svc, "*?[") {
				continue // a glob: each match is checked when it is resolved
			}
			if _, _, err := p.Ends(svc); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// conflict refuses a fault whose slot an unfinished injection already
// holds in one of services. Callers hold in.mu.
func (in *Injector) conflict(f Fault, services []string) error {
	slot := slotOf(f)
	for _, other := range in.list {
		if other.Done() || slotOf(other.fault) != slot {
			continue
		}
		for _, s := range services {
			if slices.Contains(other.services, s) {
				return fmt.Errorf("%s %w %s (%s, until %s)", s, ErrConflict, other.id, other.fault,
					other.Until().Format(time.TimeOnly))
			}
		}
	}
	return nil
}

// Injections returns the active, pending and recently finished injections,
// oldest first.
func (in *Injector) Injections() []*Injection {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.list)
}

// Injection returns the injection with the given ID.
func (in *Injector) Injection(id string) (*Injection, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, inj := range in.list {
		if inj.id == id {
			return inj, true
		}
	}
	return nil, false
}

// RevertAll reverts every injection not yet finished and joins their errors.
func (in *Injector) RevertAll(ctx context.Context) error {
	var errs []error
	for _, inj := range in.Injections() {
		if err := inj.Revert(ctx); err != nil {
			errs = append(errs, fmt.Errorf("revert %s: %w", inj.id, err))
		}
	}
	return errors.Join(errs...)
}

// Close refuses further injections and reverts the active ones. It is safe
// to call twice.
func (in *Injector) Close(ctx context.Context) error {
	in.mu.Lock()
	in.closed = true
	in.mu.Unlock()
	return in.RevertAll(ctx)
}

// finished forgets the oldest finished injections beyond keepFinished.
func (in *Injector) finished() {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, inj := range in.list {
		if inj.Done() {
			n++
		}
	}
	for i := 0; n > keepFinished && i < len(in.list); {
		if in.list[i].Done() {
			in.list = slices.Delete(in.list, i, i+1)
			n--
			continue
		}
		i++
	}
}
