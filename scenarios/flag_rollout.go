package scenarios

import (
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// Seed 000: paymentFailure was switched on with nothing watching it, and
// checkouts failed until someone noticed; the report's remedy is "automatic
// rollback if metrics exceed thresholds after flag changes". Here the same
// bad flag is rolled out in steps — 1% → 10% → 50% → 100% of the charges —
// unguarded, then guarded by the checkout SLO, which reverts it itself.
const (
	rolloutFlag    = "paymentFailure"
	rolloutVariant = "50%" // the seed's rate: half the charges of a flagged call fail
	// checkoutObjective: 99% of checkouts succeed. Its error budget is what
	// the rollout must not spend; the guard watches the same objective.
	checkoutObjective = 0.99
	// rolloutBudgetLimit is the share of the 30-day budget the run may
	// spend, the run standing for 6 h (the workbook's slowest alert). An
	// unguarded rollout of the bad flag spends about 20%, a guarded one
	// that reverts at 50% about 2%.
	rolloutBudgetLimit = 0.10
	// detectToRevertBound is issue 16's bound from the guard's breach to
	// the previous flag state back in the flag service.
	detectToRevertBound = 2 * time.Second
	// rolloutDwellShort is how long the short gate holds each step. The
	// guard must see the 50% step's failed checkouts (a quarter of them)
	// before the step ends; a checkout's answer arrives after its latency,
	// which on a loaded runner (load average 20) took seconds: at 3 s the
	// guarded rollout reverted only at 100% there. With one core busy the
	// guard fired 1–4 s into the 50% step (the monitor evaluates every
	// second from the rollout's start, so at a 4 s dwell its fourth look
	// races the step to 100%: one run in six reverted at 100%). At 5 s it
	// has four looks inside the step; a revert one second into it spends
	// ~2% of the budget and one at the start of 100% still ~7%, both under
	// rolloutBudgetLimit; unguarded, the rollout spends ~18%.
	rolloutDwellShort = 5 * time.Second
	// rolloutCheckoutRate* are the checkouts per second (short gate, full
	// run). At 12/s a one-second window holds ~12 checkouts: at the 50%
	// step (25% failed) it shows the 14.4× burn 84% of the time, so the
	// guard fires within the step's first seconds, while the 10% step
	// burns 5×, under both alerts' factors; 20/s asked twice the CPU of
	// the loaded runner for no sharper verdict.
	rolloutCheckoutRateShort = 12
	rolloutCheckoutRateFull  = 15
)

// rolloutSteps are the shares of charges the bad variant reaches per step.
var rolloutSteps = []float64{0.01, 0.1, 0.5, 1}

func flagRollout() Scenario {
	return Scenario{
		Name:     "flag-rollout",
		Incident: "seed 000: paymentFailure switched on with no guardrail; checkouts failed until someone noticed",
		Load:     "checkouts at a constant arrival rate",
		Fault:    "flag paymentFailure=" + rolloutVariant + " rolled out in steps 1% → 10% → 50% → 100%",
		SLO:      fmt.Sprintf("99%% of checkouts succeed: the run spends at most %s of the 30-day error budget", pct(rolloutBudgetLimit)),
		Fix:      fmt.Sprintf("the rollout is guarded by the checkout SLO (burn-rate alerts evaluated every second) and reverts itself within %s of a breach", detectToRevertBound),
		Weight:   2, // checkouts: ~20 calls each through the demo and its proxies
		Play: func(t harness.T, c Config) *Outcome {
			env := startDemo(t, c)
			baseline := pick(c, 2*time.Second, 5*time.Second)
			dwell := pick(c, rolloutDwellShort, 10*time.Second)
			// The load runs past the last step: unguarded, the bad flag
			// stays at 100% for it.
			d := baseline + time.Duration(len(rolloutSteps))*dwell + pick(c, 2*time.Second, 15*time.Second)
			perSec := pick(c, rolloutCheckoutRateShort, rolloutCheckoutRateFull)
			front := env.URL("frontend")
			run := env.Load(t, load.Scenarios{
				"buyers": arrivals(perSec, d, 2*perSec, fixtures.Checkout(front)),
			}, nil, loadOpts(c)...)
			src, err := slo.FromMetrics(run.Registry(), slo.Selector{Filter: metrics.Tags{"name": "checkout"}})
			if err != nil {
				t.Fatalf("checkout slo: %v", err)
			}
			spec := harness.Rollout{Flag: rolloutFlag, Variant: rolloutVariant, Steps: rolloutSteps, Dwell: dwell}
			guard := harness.Guard{Objectives: []slo.Objective{{Name: "checkout 99%", Source: src, Target: checkoutObjective}}}
			time.Sleep(baseline)
			var watch *slo.Monitor
			if c.Half == Fixed {
				spec.Guard = guard
			} else {
				// Unguarded: the same objective is watched, and nothing acts on it.
				watch = env.Watch(t, "checkout slo", guard, spec.Length())
			}
			ro := env.Rollout(t, spec).Wait(t)
			t.Logf("%s", ro)
			res := run.Wait(t)
			o := &Outcome{Run: res, Extra: map[string]float64{
				"reverted": b2f(ro.Reverted), "step": float64(ro.Step + 1), "share": ro.Share,
				"detect_to_revert_s": ro.DetectToRevert().Seconds(), "budget_burned": ro.BudgetBurned(),
			}}
			if watch != nil {
				rep := watch.Stop()
				o.Extra["breaches"] = float64(countBreaches(rep))
			}
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			policy := assertions.BurnPolicy{}
			s := assertions.Availability(metrics.Tags{"name": "checkout"}, checkoutObjective)
			if burn, err := assertions.BurnRate(o.Run, s, policy); err == nil {
				o.AtMost("error budget spent", burn.BudgetConsumed, rolloutBudgetLimit, inRate, false)
			}
			if c.Half == Fixed {
				reverted := o.Extra["reverted"] == 1
				step := int(o.Extra["step"])
				o.Measure("rollout reverted itself", fmt.Sprintf("%v at step %d (%s)", reverted, step, pct(o.Extra["share"])),
					"yes, before 100%", reverted && o.Extra["share"] < 1)
				if reverted {
					o.AtMost("breach to revert", 1000*o.Extra["detect_to_revert_s"], float64(detectToRevertBound/time.Millisecond), inMS, true)
				} else {
					o.Measure("breach to revert", "no revert", "≤ "+detectToRevertBound.String(), false)
				}
			} else {
				o.Measure("live SLO breaches while unguarded", fmt.Sprintf("%.0f", o.Extra["breaches"]), "≥ 1", o.Extra["breaches"] >= 1)
			}
			assertions.BudgetBelow(t, o.Run, s, rolloutBudgetLimit, policy)
		},
	}
}

func countBreaches(r slo.Report) int {
	n := 0
	for _, c := range r.Changes {
		if !c.Healthy {
			n++
		}
	}
	return n
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
