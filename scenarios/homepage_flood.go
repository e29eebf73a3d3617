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
)

// Seed 000: loadGeneratorFloodHomepage had the load generator flood the
// home page; every page shares the frontend's workers, so checkout starved.
// The fix sheds home-page requests past a small concurrency limit (503 at
// once) and keeps the workers for the rest of the shop.
const (
	floodFrontendWorkers = 4
	floodQueueTimeout    = 5 * time.Second
	floodListLatency     = 20 * time.Millisecond // the home page's catalog scan
	floodPerFlagUnit     = 3                     // home requests/s per unit of the flag (on = 100 → 300/s)
	floodHomeLimit       = 1                     // the fix: concurrent home pages
	floodCheckoutP95     = 1000.0                // ms
)

func homepageFlood() Scenario {
	return Scenario{
		Name:     "homepage-flood",
		Incident: "seed 000: loadGeneratorFloodHomepage floods the home page and starves checkout of frontend workers",
		Load:     "checkouts at 5/s, plus the flood the flag asks for (3 home pages/s per unit)",
		Fault:    "flag loadGeneratorFloodHomepage=on; frontend with 4 workers, a 20 ms catalog scan per home page",
		SLO:      fmt.Sprintf("checkout p(95) < %.0fms and http_req_failed{name:checkout} < 1%% during the flood", floodCheckoutP95),
		Fix:      fmt.Sprintf("load shedding: at most %d concurrent home pages, the rest answered 503 at once", floodHomeLimit),
		Weight:   3, // 300 home pages/s through the proxies
		Play: func(t harness.T, c Config) *Outcome {
			opts := []fixtures.Option{fixtures.FrontendWorkers(floodFrontendWorkers, floodQueueTimeout), fixtures.CatalogListLatency(floodListLatency)}
			if c.Half == Fixed {
				opts = append(opts, fixtures.LoadShedding("/", floodHomeLimit))
			}
			env := startDemo(t, c, opts...)
			env.SetFlag(t, "loadGeneratorFloodHomepage", "on")
			flood := flagNumber(t, env, "loadGeneratorFloodHomepage")
			d := pick(c, 10*time.Second, 30*time.Second)
			front := env.URL("frontend")
			sc := load.Scenarios{"buyers": arrivals(5, d, 20, fixtures.Checkout(front))}
			if flood > 0 {
				f := arrivals(int(flood)*floodPerFlagUnit, d, 200, fixtures.Home(front))
				f.MaxVUs = 500
				sc["flood"] = f
			}
			run := env.Load(t, sc, nil, loadOpts(c)...)
			o := &Outcome{Run: run.Wait(t), Extra: map[string]float64{"flood": flood}}
			o.Scheduled("checkout", 5*int(d/time.Second))
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			co := o.Run.Metrics.Metric(metrics.HTTPReqDuration).Aggregate(metrics.Tags{"name": "checkout"})
			homeFailed, homeN := rate(o.Run, metrics.HTTPReqFailed, metrics.Tags{"name": "home"})
			o.Measure("flood", fmt.Sprintf("%.0f home pages/s", o.Extra["flood"]*floodPerFlagUnit), "> 0 (the flag drives the load)", o.Extra["flood"] > 0)
			o.Below("checkout p(95)", co.Quantile(0.95), floodCheckoutP95, inMS, false)
			o.Measure("home pages refused (shed or timed out)", fmt.Sprintf("%s of %d", pct(homeFailed), homeN), "", true)
			assertions.Thresholds(t, o.Run, map[string][]string{
				"http_req_duration{name:checkout}": {fmt.Sprintf("p(95)<%.0f", floodCheckoutP95)},
				"http_req_failed{name:checkout}":   {"rate<0.01"},
			})
		},
	}
}
