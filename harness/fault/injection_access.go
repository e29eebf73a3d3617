package fault

import (
	"context"
	"slices"
	"time"
)

// Revert ends the injection now, removing the fault from every service it
// is in. It is safe to call twice and concurrently: later calls wait for
// the first and return its error. The revert runs even when ctx is
// cancelled, bounded by the Injector's RevertTimeout.
func (i *Injection) Revert(ctx context.Context) error { return i.finish(ctx, ReasonReverted) }

// Wait blocks until the injection has ended (or ctx is done) and returns
// Err.
func (i *Injection) Wait(ctx context.Context) error {
	select {
	case <-i.done:
		return i.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Err is why the fault could not go in, or why its revert failed; nil
// while it is pending or active and after a clean end.
func (i *Injection) Err() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.applyErr != nil {
		return i.applyErr
	}
	return i.revertErr
}

// Active reports whether the fault is in place now.
func (i *Injection) Active() bool { return i.State() == Active }

// Done reports whether the injection has ended.
func (i *Injection) Done() bool {
	select {
	case <-i.done:
		return true
	default:
		return false
	}
}

// State is where the injection is in its life.
func (i *Injection) State() State {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.state
}

// Reason is why a finished injection ended (ReasonEnded, ...), "" before.
func (i *Injection) Reason() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.reason
}

// ID names the injection within its Injector ("f1", "f2", ...).
func (i *Injection) ID() string { return i.id }

// Fault is what was injected.
func (i *Injection) Fault() Fault { return i.fault }

// Selector is the selector the injection was asked for.
func (i *Injection) Selector() string { return i.selector }

// Services are the services the selector matched.
func (i *Injection) Services() []string { return slices.Clone(i.services) }

// Schedule is the injection's schedule.
func (i *Injection) Schedule() Schedule { return i.sched }

// Started is when the fault went in (planned, while pending).
func (i *Injection) Started() time.Time {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.started
}

// Until is when the fault is due to end.
func (i *Injection) Until() time.Time {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.until
}
