package harness_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// edgeGuard watches client→front through the proxies at 99%.
func edgeGuard(env *harness.Env) harness.Guard {
	return harness.Guard{Objectives: []slo.Objective{{
		Source: env.EdgeSource(slo.EdgeSelector{Caller: "client", Callee: "front"}),
		Target: 0.99,
	}}}
}

// checkHalted asserts the injection ended early with reason "halted" and
// that the timeline says why.
func checkHalted(t *testing.T, env *harness.Env, g *harness.GuardedInjection, planned time.Duration) {
	t.Helper()
	if err := g.WaitGuarded(t.Context()); err != nil {
		t.Fatal(err)
	}
	halted, why, d := g.Halted()
	if !halted {
		t.Fatalf("the guard never halted the fault: %+v", g.Report())
	}
	t.Logf("halted %s after the breach: %s", d, why)
	if g.State() != fault.Reverted || g.Reason() != fault.ReasonHalted {
		t.Errorf("injection %s (%s), want reverted because halted", g.State(), g.Reason())
	}
	if lasted := time.Since(g.Started()); lasted > planned/2 {
		t.Errorf("fault lasted %s of its planned %s: not halted early", lasted, planned)
	}
	var halt, revert bool
	for _, ev := range env.Timeline.Events() {
		switch {
		case ev.Kind == harness.KindFaultHalt && strings.Contains(ev.Attrs["why"], "breached"):
			halt = true
		case ev.Kind == timeline.FaultRevert && ev.Attrs["reason"] == fault.ReasonHalted:
			revert = true
		}
	}
	if !halt || !revert {
		t.Errorf("timeline lacks the halt (%v) or the revert's reason (%v): %v", halt, revert, env.Timeline.Events())
	}
}

// An HTTP fault failing half of back's responses breaks the guard on the
// traffic any client sends to front; the fault is reverted long before its
// 30 s end.
func TestHaltHTTPFault(t *testing.T) {
	env := harness.Start(t, twoTier(), harness.WithTarget("embedded"))
	wait := traffic(t, env.URL("front")+"/", 100, 8*time.Second)
	time.Sleep(time.Second)
	const planned = 30 * time.Second
	g := env.InjectGuarded(t, "back", fault.HTTP{ErrorRate: 0.5, ErrorCode: 503}, fault.For(planned), edgeGuard(env))
	checkHalted(t, env, g, planned)
	ok, failed := wait()
	if failed == 0 || failed > ok/4 {
		t.Errorf("%d failed of %d: want some failures, stopped early", failed, ok+failed)
	}
}

// Killing back (a lifecycle fault) breaks the guard; the halt restarts
// back and front serves again.
func TestHaltLifecycleFault(t *testing.T) {
	env := harness.Start(t, twoTier(), harness.WithTarget("embedded"))
	wait := traffic(t, env.URL("front")+"/", 100, 8*time.Second)
	time.Sleep(time.Second)
	const planned = 30 * time.Second
	g := env.InjectGuarded(t, "back", fault.Kill{}, fault.For(planned), edgeGuard(env))
	checkHalted(t, env, g, planned)
	wait() // the first traffic ends; back has been started again meanwhile
	// after the halt, front answers again
	w2 := traffic(t, env.URL("front")+"/", 50, 2*time.Second)
	ok, failed := w2()
	if failed > 0 || ok == 0 {
		t.Errorf("after the halt %d of %d requests failed: back was not restarted", failed, ok+failed)
	}
}

// A guard that holds leaves the fault to its planned end.
func TestGuardHoldsFaultRunsOut(t *testing.T) {
	env := harness.Start(t, twoTier(), harness.WithTarget("embedded"))
	traffic(t, env.URL("front")+"/", 50, 4*time.Second)
	g := env.InjectGuarded(t, "back", fault.HTTP{AverageDelay: 5 * time.Millisecond}, fault.For(2*time.Second), edgeGuard(env))
	if err := g.WaitGuarded(t.Context()); err != nil {
		t.Fatal(err)
	}
	if halted, why, _ := g.Halted(); halted || g.Reason() != fault.ReasonEnded {
		t.Errorf("a harmless fault was halted (%v: %s) or did not run out (%s)", halted, why, g.Reason())
	}
}
