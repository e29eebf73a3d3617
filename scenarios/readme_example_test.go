package scenarios_test

import (
	"testing"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
)

// TestRecommendationsSurviveSlowCatalog is the README's example, kept
// compiling and passing: seed 003's fix under seed 003's fault.
func TestRecommendationsSurviveSlowCatalog(t *testing.T) {
	t.Parallel()
	env := harness.Start(t, fixtures.Demo(fixtures.Retries("recommendation->product-catalog", 3),
		fixtures.Timeout("frontend->recommendation", 10*time.Second)), harness.WithTarget("embedded"))
	run := env.Load(t, load.Scenarios{
		"shoppers": load.ConstantArrivalRate{Rate: 20, TimeUnit: time.Second, Duration: 10 * time.Second,
			PreAllocatedVUs: 50, Exec: fixtures.BrowseRecommendations(env.URL("frontend"))},
	}, harness.Thresholds{"http_req_failed{name:recommendations}": {"rate<0.02"}})
	env.Inject(t, "product-catalog", fault.HTTP{AverageDelay: 900 * time.Millisecond,
		DelayVariation: 150 * time.Millisecond}, fault.For(20*time.Second))
	res := run.Wait(t)
	assertions.Thresholds(t, res, nil)
	assertions.AmplificationBelow(t, res, "recommendation->product-catalog", 4*1.5)
}
