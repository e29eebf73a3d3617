package scenarios

import (
	"fmt"
	"math"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/fixtures/demo"
	"github.com/gameday-dev/gameday/fixtures/demo/resilience"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// Seed 003 (the QuickPizza timeout incident): the catalog answered in
// 900ms±150ms, recommendations gave each catalog call 1 s, and every
// recommendation request made several catalog calls — so far more than the
// ~16% of slow calls failed end to end.
const (
	catalogDelay     = 900 * time.Millisecond
	catalogVariation = 150 * time.Millisecond
	recoTimeout      = time.Second // recommendation's per-call timeout, unchanged by the fix
	recoRetries      = 3           // the fix: QUICKPIZZA_RETRIES=3
	recoAmplifyLimit = 1.5         // retries may add at most half a call per call
	amplifyTolerance = 0.05        // the unfixed failure rate may exceed the model by 5 points
	recoRate         = 30
)

// pSlow is the share of uniform delays in [avg−var, avg+var] above the timeout.
func pSlow() float64 {
	lo, hi := catalogDelay-catalogVariation, catalogDelay+catalogVariation
	return float64(hi-recoTimeout) / float64(hi-lo)
}

func catalogTimeoutAmplification() Scenario {
	return Scenario{
		Name:     "catalog-timeout-amplification",
		Incident: "seed 003: catalog latency 900ms±150ms behind a 1 s timeout; several catalog calls per recommendation request amplify ~16% slow calls into >50% failed requests",
		Load:     "recommendations at a constant arrival rate",
		Fault:    "product-catalog delayed 900ms±150ms for the whole run",
		SLO:      "http_req_failed{name:recommendations} rate<0.01",
		Fix:      "3 retries with jittered backoff on recommendation->product-catalog (and room for them in frontend->recommendation)",
		// A 900ms±150ms delay behind a 1 s timeout: every 3 ms of CPU
		// contention on the path push another point of the calls over the
		// timeout, and with p above ~0.22 (17 ms) even the fixed half's 3
		// retries fail more than 1% of requests (1−(1−p⁴)⁴): the seed's
		// own fix holds only so far. So the fixed half runs beside light
		// halves only, granted first (p 17.6% with one core busy). The
		// unfixed half's check follows the p it measures, so it runs
		// later, beside anything, as a heavy half (with one core busy the
		// fixed half alone measured p 17.6%, both halves together 22%).
		Weight: 2,
		Quiet:  []Half{Fixed},
		Play: func(t harness.T, c Config) *Outcome {
			// Flags are not part of this incident: cache their evaluation so
			// every catalog call does not also ask the flag service.
			opts := []fixtures.Option{
				fixtures.Env(demo.ProductCatalog, demo.EnvFlagCacheTTL, "10s"),
				fixtures.Env(demo.Recommendation, demo.EnvFlagCacheTTL, "10s"),
			}
			if c.Half == Fixed {
				opts = append(opts,
					fixtures.Resilience("recommendation->product-catalog", resilience.Policy{
						Timeout: recoTimeout, Retries: recoRetries,
						Backoff: resilience.Backoff{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond, Jitter: true}}),
					fixtures.Timeout("frontend->recommendation", 10*time.Second))
			}
			env := startDemo(t, c, opts...)
			// 30 requests/s (120 catalog calls/s): enough samples for the ±5
			// point check; at 60/s the demo's retried calls collapse on this
			// 2-core machine (see the issue notes).
			// The unfixed half's check needs fewer requests than the fixed
			// one's: its failure rate is compared with the model at the p
			// measured on the same calls (the difference's spread is about
			// 0.25/√n: 1.2 points at 450 requests), while the fixed half
			// must show under 1% failed when ~0.3% are expected.
			d := pick(c, 25*time.Second, 40*time.Second)
			if c.Half == Unfixed {
				d = pick(c, 15*time.Second, 30*time.Second)
			}
			injectFor(t, env, demo.ProductCatalog, fault.HTTP{AverageDelay: catalogDelay, DelayVariation: catalogVariation}, d+15*time.Second)
			run := env.Load(t, load.Scenarios{
				"shoppers": arrivals(recoRate, d, 5*recoRate, fixtures.BrowseRecommendations(env.URL(demo.Frontend))),
			}, nil, loadOpts(c)...)
			o := &Outcome{Run: run.Wait(t), Extra: map[string]float64{}}
			o.Scheduled("recommendations", recoRate*int(d/time.Second))
			// The share of catalog calls that timed out, as recommendation saw it.
			var state struct {
				Edges map[string]resilience.Stats `json:"edges"`
			}
			if err := getJSON(t.Context(), env.URL(demo.Recommendation)+"/debug/state", &state); err == nil {
				if st := state.Edges["recommendation->product-catalog"]; st.Attempts > 0 {
					o.Extra["pTimeout"] = float64(st.Timeouts) / float64(st.Attempts)
				}
			}
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			failed, n := rate(o.Run, metrics.HTTPReqFailed, metrics.Tags{"name": "recommendations"})
			k := demo.DefaultRecommendations
			p, ok := o.Extra["pTimeout"]
			if !ok {
				p = pSlow()
			}
			o.Measure("catalog calls over the 1 s timeout", pct(p), fmt.Sprintf("≈ %s for 900ms±150ms", pct(pSlow())), true)
			if c.Half == Unfixed {
				// The amplification model 1−(1−p)^k, with p the measured share
				// of timed-out calls (CPU contention moves p off the ideal 1/6;
				// the check must hold whatever p is). The k calls of one
				// request run at once, so contention slows them together: their
				// timeouts are correlated and fewer requests fail than the
				// independent model says (7–8 points fewer at p 0.22–0.26 on
				// a loaded runner), never more. So the failed share must sit
				// between halfway from p to the model (amplified: the
				// incident) and the model plus amplifyTolerance.
				want := 1 - math.Pow(1-p, float64(k))
				lo, hi := p+(want-p)/2, want+amplifyTolerance
				o.Measure("failed recommendations", fmt.Sprintf("%s of %d", pct(failed), n),
					fmt.Sprintf("amplified: between %s (halfway from p) and 1−(1−%.3f)^%d = %s +5 points", pct(lo), p, k, pct(want)),
					failed >= lo && failed <= hi)
				o.Measured[len(o.Measured)-1].Margin = margin(min(failed-lo, hi-failed), hi-lo, inRate)
				o.Above("failed recommendations vs the SLO", failed, 0.01, inRate, false)
			} else {
				o.Below(fmt.Sprintf("failed recommendations (of %d)", n), failed, 0.01, inRate, true)
			}
			if amp, err := assertions.Amplification(o.Run, "recommendation->product-catalog"); err == nil {
				perCall := amp / float64(k)
				o.AtMost(fmt.Sprintf("amplification recommendation->product-catalog per needed call (%.2f calls/request)", amp),
					perCall, recoAmplifyLimit, inNum, true)
			}
			assertions.Thresholds(t, o.Run, map[string][]string{"http_req_failed{name:recommendations}": {"rate<0.01"}})
		},
	}
}
