package fault

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/timeline"
)

// State is where an injection is in its life.
type State string

// States of an Injection.
const (
	Pending  State = "pending"  // scheduled, not yet in
	Active   State = "active"   // in place
	Reverted State = "reverted" // ended: reverted, or cancelled before it went in
	Failed   State = "failed"   // could not go in; whatever went in was rolled back
)

// Why an injection ended, as recorded on the timeline ("reason" attr).
const (
	ReasonEnded     = "ended"     // its schedule ran out
	ReasonReverted  = "reverted"  // Revert was called
	ReasonCancelled = "cancelled" // its context was cancelled
	ReasonSignal    = "signal"    // SIGINT or SIGTERM
	ReasonRollback  = "rollback"  // another service of the same injection failed
)

// Injection is one fault put into one or more services for a bounded time.
type Injection struct {
	in       *Injector
	id       string
	selector string
	fault    Fault
	services []string
	sched    Schedule
	window   time.Duration // how long the fault stays once in
	created  time.Time

	applyMu sync.Mutex // serializes going in and coming out

	mu        sync.Mutex
	state     State
	started   time.Time
	until     time.Time
	applied   []applied
	applyErr  error
	revertErr error
	reason    string

	stop       chan struct{} // closed when the injection must end
	done       chan struct{} // closed when it has ended
	finishOnce sync.Once
}

// applied is the fault in one service and its timeline window.
type applied struct {
	service string
	revert  Revert
	window  string
}

func newInjection(in *Injector, id, selector string, f Fault, services []string, sched Schedule) *Injection {
	window := sched.Duration
	if k, ok := f.(Kill); ok && k.RestartAfter > 0 && k.RestartAfter < window {
		window = k.RestartAfter // the service is back then
	}
	now := time.Now()
	return &Injection{in: in, id: id, selector: selector, fault: f, services: services, sched: sched,
		window: window, created: now, state: Pending,
		started: now.Add(sched.Start), until: now.Add(sched.Start + window),
		stop: make(chan struct{}), done: make(chan struct{})}
}

// apply puts the fault into every service, or into none: on a failure it
// rolls back what went in, and the injection ends as Failed.
func (i *Injection) apply(ctx context.Context) error {
	i.applyMu.Lock()
	select {
	case <-i.stop:
		i.applyMu.Unlock()
		return nil // reverted before it went in
	default:
	}
	start := time.Now()
	ttl := i.window + i.in.cfg.TTLMargin
	var done []applied
	var err error
	for _, svc := range i.services {
		var rev Revert
		if rev, err = Apply(ctx, i.fault, i.in.running, svc, ttl); err != nil {
			err = fmt.Errorf("inject %s into %s: %w", i.fault.Kind(), svc, err)
			break
		}
		win := i.in.tl.Begin(timeline.FaultInject, svc, i.fault.String(), i.attrs(ttl))
		done = append(done, applied{service: svc, revert: rev, window: win})
	}
	if err != nil {
		rbErr := i.revertApplied(ctx, done, ReasonRollback)
		i.mu.Lock()
		i.state, i.applyErr = Failed, errors.Join(err, rbErr)
		i.mu.Unlock()
		i.applyMu.Unlock()
		i.finish(ctx, ReasonRollback)
		return i.applyErr
	}
	i.mu.Lock()
	i.state, i.applied = Active, done
	i.started, i.until = start, start.Add(i.window)
	i.mu.Unlock()
	i.applyMu.Unlock()
	return nil
}

// run waits for the start, then for the end of the window, ctx or Revert.
func (i *Injection) run(ctx context.Context) {
	if i.sched.Start > 0 {
		t := time.NewTimer(i.sched.Start)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			i.finish(ctx, ReasonCancelled)
			return
		case <-i.stop:
			t.Stop()
			return
		}
		if i.apply(ctx) != nil {
			return
		}
	}
	t := time.NewTimer(time.Until(i.Until()))
	defer t.Stop()
	select {
	case <-t.C:
		i.finish(ctx, ReasonEnded)
	case <-ctx.Done():
		i.finish(ctx, ReasonCancelled)
	case <-i.stop:
	}
}

// finish ends the injection once, reverting whatever is in, and returns
// the revert's error. Later calls wait for the first and return the same.
func (i *Injection) finish(ctx context.Context, reason string) error {
	i.finishOnce.Do(func() {
		close(i.stop)
		i.applyMu.Lock() // an apply in progress completes first
		i.mu.Lock()
		todo := i.applied
		i.applied = nil
		i.mu.Unlock()
		err := i.revertApplied(ctx, todo, reason)
		i.applyMu.Unlock()

		i.mu.Lock()
		if i.state != Failed {
			i.state = Reverted
			i.reason = reason
		} else {
			i.reason = "failed"
		}
		i.revertErr = err
		i.mu.Unlock()
		close(i.done)
		untrack(i)
		i.in.finished()
	})
	<-i.done
	return i.revertErr
}

// revertApplied reverts each service, bounded by RevertTimeout even when
// ctx is already cancelled, and closes its timeline window.
func (i *Injection) revertApplied(ctx context.Context, list []applied, reason string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), i.in.cfg.RevertTimeout)
	defer cancel()
	var errs []error
	for _, a := range list {
		attrs := map[string]string{"reason": reason, "injection": i.id}
		if err := a.revert(ctx); err != nil {
			attrs["error"] = err.Error()
			errs = append(errs, err)
		}
		i.in.tl.End(a.window, timeline.FaultRevert, attrs)
	}
	return errors.Join(errs...)
}

func (i *Injection) attrs(ttl time.Duration) map[string]string {
	a := maps.Clone(i.fault.Params())
	a["kind"] = i.fault.Kind()
	a["injection"] = i.id
	a["selector"] = i.selector
	a["duration"] = i.window.String()
	a["ttl"] = ttl.String()
	return a
}
