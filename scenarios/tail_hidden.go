package scenarios

import (
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/fixtures/demo/resilience"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// Seed 002: "the SLO was violated for a week without alerting" — the alert
// watched an average. Here 5% of shipping quotes (those abroad) take 3 s:
// the average stays comfortably low while the 99th percentile breaches.
const (
	abroadShare     = 0.05
	intlSlowVariant = "3sec"
	tailAvgLimit    = 500.0  // ms: what an average-based SLO would allow
	tailP99Limit    = 1000.0 // ms: the percentile SLO
	shippingTimeout = 300 * time.Millisecond
)

func tailHiddenByAverage() Scenario {
	return Scenario{
		Name:     "tail-hidden-by-average",
		Incident: "seed 002: an average-based SLO stayed green while 5% of requests took seconds",
		Load:     fmt.Sprintf("shipping quotes at a constant arrival rate, %.0f%% of them abroad", abroadShare*100),
		Fault:    "flag intlShippingSlowdown=" + intlSlowVariant + " (quotes abroad take 3 s)",
		SLO:      fmt.Sprintf("p(99) of http_req_duration{name:shipping} < %.0fms — while avg < %.0fms keeps passing", tailP99Limit, tailAvgLimit),
		Fix:      fmt.Sprintf("a %v timeout on frontend->shipping with a flat-rate fallback quote", shippingTimeout),
		Play: func(t harness.T, c Config) *Outcome {
			var opts []fixtures.Option
			if c.Half == Fixed {
				opts = append(opts, fixtures.Resilience("frontend->shipping", resilience.Policy{Timeout: shippingTimeout, Fallback: true}))
			}
			env := startDemo(t, c, opts...)
			env.SetFlag(t, "intlShippingSlowdown", intlSlowVariant)
			d := pick(c, 10*time.Second, 30*time.Second)
			run := env.Load(t, load.Scenarios{
				"quotes": arrivals(pick(c, 40, 50), d, 60, fixtures.ShippingQuote(env.URL("frontend"), abroadShare)),
			}, nil, loadOpts(c)...)
			o := &Outcome{Run: run.Wait(t)}
			o.Scheduled("shipping", pick(c, 40, 50)*int(d/time.Second))
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			filter := metrics.Tags{"name": "shipping"}
			tail, err := assertions.TailHiddenByAverage(o.Run, metrics.HTTPReqDuration, filter, tailAvgLimit, tailP99Limit, 99)
			if err != nil {
				t.Errorf("tail: %v", err)
				return
			}
			o.Below("avg shipping quote (the average SLO passes either way)", tail.Avg, tailAvgLimit, inMS, true)
			o.Below("p(99) shipping quote", tail.Percentile, tailP99Limit, inMS, false)
			if c.Half == Unfixed {
				o.Measure("tail hidden by the average", yesNo(tail.Hidden()), "yes", tail.Hidden())
			}
			assertions.PercentileBelow(t, o.Run, metrics.HTTPReqDuration, filter, 99, tailP99Limit)
			assertions.Thresholds(t, o.Run, map[string][]string{"http_req_failed{name:shipping}": {"rate<0.01"}})
		},
	}
}
