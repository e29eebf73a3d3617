package harness

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/slo"
)

// KindFaultHalt is the timeline event (a zero-length window, so the run's
// summary lists it with why) of a fault its guard halted early.
const KindFaultHalt = "fault.halt"

// GuardedInjection is a fault with a halt condition: while it is pending or
// in, its guard is watched, and the first breach reverts it early.
type GuardedInjection struct {
	*fault.Injection
	monitor *slo.Monitor
	done    chan struct{}

	mu     sync.Mutex
	halted bool
	why    slo.Change
	at     time.Time // when the revert completed
	err    error
}

// InjectGuarded is Inject with a halt condition: when guard breaks while
// the fault is scheduled or in, the fault is reverted at once (reason
// "halted" on its timeline window) and a fault.halt event records why.
// Objectives without a Span are scaled to the fault's schedule.
func (e *Env) InjectGuarded(t T, selector string, f fault.Fault, sched fault.Schedule, guard Guard) *GuardedInjection {
	t.Helper()
	if err := guard.Validate(); err != nil {
		t.Fatalf("guard of %s: %v", f, err)
	}
	if guard.Empty() {
		t.Fatalf("guard of %s: no objective or check to watch", f)
	}
	inj := e.Inject(t, selector, f, sched)
	ctx := context.WithoutCancel(t.Context())
	m, err := guard.watch(ctx, e.Timeline, "halt "+f.String(), sched.Start+sched.Duration, nil)
	if err != nil {
		_ = inj.Revert(ctx)
		t.Fatalf("guard of %s: %v", f, err)
	}
	g := &GuardedInjection{Injection: inj, monitor: m, done: make(chan struct{})}
	go g.run(ctx, e)
	t.Cleanup(func() {
		// Inject's own cleanup runs after this one: end the fault first so
		// the guard's goroutine returns.
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_ = inj.Revert(rctx)
		<-g.done
		if err := g.Err(); err != nil {
			t.Errorf("halt %s: %v", f, err)
		}
	})
	return g
}

func (g *GuardedInjection) run(ctx context.Context, e *Env) {
	defer close(g.done)
	defer g.monitor.Stop()
	waitDone := make(chan struct{})
	go func() { _ = g.Injection.Wait(ctx); close(waitDone) }()
	select {
	case <-waitDone:
		return
	case <-g.monitor.Breached():
	}
	why, _ := g.monitor.FirstBreach()
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if g.Injection.Done() {
		return // it ended on its own while the breach was being seen
	}
	err := g.Injection.Halt(rctx)
	now := time.Now()
	instant(e.Timeline, KindFaultHalt, g.Injection.Selector(), "halted "+g.Injection.Fault().String(), map[string]string{
		"injection": g.Injection.ID(), "why": why.String(), "detected": why.At.Format(time.RFC3339Nano),
		"detect_to_revert": now.Sub(why.At).String()})
	g.mu.Lock()
	g.halted, g.why, g.at, g.err = true, why, now, err
	g.mu.Unlock()
}

// Halted reports whether the guard ended the fault early, why, and how long
// after the breach was detected the fault was reverted.
func (g *GuardedInjection) Halted() (halted bool, why slo.Change, detectToRevert time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.halted {
		return false, slo.Change{}, 0
	}
	return true, g.why, g.at.Sub(g.why.At)
}

// Report is what the guard saw (complete once the injection ended).
func (g *GuardedInjection) Report() slo.Report { return g.monitor.Report() }

// Err is the halt's revert error, if any.
func (g *GuardedInjection) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return fmt.Errorf("revert: %w", g.err)
	}
	return nil
}

// WaitGuarded blocks until the injection ended (its schedule ran out, it
// was reverted or halted) and the guard stopped.
func (g *GuardedInjection) WaitGuarded(ctx context.Context) error {
	select {
	case <-g.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
