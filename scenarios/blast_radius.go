package scenarios

import (
	"errors"
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Seed 002's chaos lessons: an experiment meant for one service matched more
// (a glob catching payment) and took checkout down for real. The guard
// refuses such a selector before anything is injected.
const blastSelector = "p*" // meant for product-catalog; also matches payment

func blastRadiusGuard() Scenario {
	return Scenario{
		Name:     "blast-radius-guard",
		Incident: "seed 002: a chaos experiment's selector matched payment and more than one service",
		Load:     "checkouts at a constant arrival rate",
		Fault:    fmt.Sprintf("TCP down on selector %q", blastSelector),
		SLO:      "checkouts succeed (http_req_failed{name:checkout} rate<0.01)",
		Fix:      "the harness guard: at most one target, payment forbidden — the fault is refused before injection",
		Play: func(t harness.T, c Config) *Outcome {
			opts := []harness.Option{harness.WithTarget(targetOr(c))}
			if c.Half == Unfixed {
				opts = append(opts, harness.WithFaultOptions(fault.WithMaxTargets(20)))
			} else {
				opts = append(opts, harness.WithFaultOptions(fault.WithMaxTargets(1), fault.WithForbid("payment")))
			}
			env := harness.Start(t, demoSystem(quiet()...), opts...)
			d := pick(c, 8*time.Second, 20*time.Second)
			front := env.URL("frontend")
			run := env.Load(t, load.Scenarios{"buyers": arrivals(10, d, 20, fixtures.Checkout(front))}, nil, loadOpts(c)...)
			o := &Outcome{Extra: map[string]float64{}}
			inj, err := env.Faults.Inject(t.Context(), blastSelector, fault.Down{}, fault.During(time.Second, d-2*time.Second))
			switch {
			case err == nil:
				t.Cleanup(func() { _ = inj.Revert(t.Context()) })
				o.Extra["injected"] = float64(len(inj.Services()))
			case errors.Is(err, fault.ErrRefused):
				o.Extra["refused"] = 1
				t.Logf("guard: %v", err)
			default:
				t.Fatalf("inject: %v", err)
			}
			o.Run = run.Wait(t)
			o.Scheduled("checkout", 10*int(d/time.Second))
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			faults := 0
			for _, w := range o.Run.Timeline.Windows() {
				if w.Kind == timeline.FaultInject {
					faults++
				}
			}
			if c.Half == Fixed {
				o.Measure("refused before injection", yesNo(o.Extra["refused"] == 1), "yes", o.Extra["refused"] == 1)
				o.Measure("faults on the timeline", fmt.Sprint(faults), "0", faults == 0)
			} else {
				o.Measure("services disrupted", fmt.Sprint(o.Extra["injected"]), "> 1 (the guard was off)", o.Extra["injected"] > 1)
			}
			assertions.Thresholds(t, o.Run, map[string][]string{"http_req_failed{name:checkout}": {"rate<0.01"}})
		},
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
