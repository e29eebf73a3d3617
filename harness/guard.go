package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Guard is what a guarded flag rollout or a guarded fault watches: live SLO
// objectives (multi-window burn rates) and any other checks (live
// thresholds). The first breach of any of them stops what it guards.
type Guard struct {
	Objectives []slo.Objective
	Checks     []slo.Check
	// Interval between evaluations. Default slo.DefaultInterval (1 s).
	Interval time.Duration
}

// Empty reports whether the guard watches nothing.
func (g Guard) Empty() bool { return len(g.Objectives) == 0 && len(g.Checks) == 0 }

// Validate reports every problem with the guard's objectives; an objective
// without a Span is fine (it gets the guarded thing's length).
func (g Guard) Validate() error {
	var errs []error
	for i, o := range g.Objectives {
		if o.Span == 0 && o.Policy.Scale == 0 {
			o.Span = time.Minute // stands in for the length given at watch time
		}
		if err := o.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("objective %d: %w", i, err))
		}
	}
	for i, c := range g.Checks {
		if c == nil {
			errs = append(errs, fmt.Errorf("check %d: nil", i))
		}
	}
	if g.Interval < 0 {
		errs = append(errs, fmt.Errorf("interval %s: must not be negative", g.Interval))
	}
	return errors.Join(errs...)
}

// watch starts a monitor of the guard named name on timeline tl (nil:
// none); span is how long the guarded thing lasts (the objectives' default
// Span).
func (g Guard) watch(ctx context.Context, tl *timeline.Timeline, name string, span time.Duration, onChange func(slo.Change)) (*slo.Monitor, error) {
	checks := append([]slo.Check(nil), g.Checks...)
	for _, o := range g.Objectives {
		if o.Span == 0 && o.Policy.Scale == 0 {
			o.Span = span
		}
		c, err := slo.NewBurnCheck(o)
		if err != nil {
			return nil, err
		}
		checks = append(checks, c)
	}
	return slo.Watch(ctx, slo.Config{Name: name, Checks: checks, Interval: g.Interval,
		Timeline: tl, OnChange: onChange})
}

// EdgeSource counts the requests the fault proxies saw on the selected
// edges — from gameday's load or any other client — for a live objective.
func (e *Env) EdgeSource(sel slo.EdgeSelector) slo.Source {
	return slo.FromEdges(e.readEdges, sel)
}

// readEdges returns the proxies' cumulative caller→callee counts.
func (e *Env) readEdges(ctx context.Context) ([]proxy.Edge, error) {
	p, ok := e.Running.(target.Proxied)
	if !ok {
		return nil, fmt.Errorf("target %s has no fault proxies to count edges", e.Running.Kind())
	}
	return p.Edges(ctx)
}

// Watch evaluates live SLOs while the test goes on: every state change lands
// on the Env's timeline (and so in the run's report) as it happens. The
// monitor stops in t.Cleanup; call Stop earlier for its report.
func (e *Env) Watch(t T, name string, g Guard, span time.Duration) *slo.Monitor {
	t.Helper()
	m, err := g.watch(context.WithoutCancel(t.Context()), e.Timeline, name, span, func(c slo.Change) {
		t.Logf("slo: %s", c)
	})
	if err != nil {
		t.Fatalf("watch %s: %v", name, err)
	}
	t.Cleanup(func() { m.Stop() })
	return m
}
