package scenarios_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/browser"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/scenarios"
)

// TestBrowserJourneysOnTheDemo walks every browser journey through the
// real demo shop: the journeys' hooks (data-cy selectors) must agree with
// the demo's templates. (It lives here, not in browser/, because browser
// may not import the demo.) It runs in make test's -short pass too; it
// needs Chromium and fails without it (skips only under -short, saying so).
func TestBrowserJourneysOnTheDemo(t *testing.T) {
	t.Parallel()
	defer scenarios.Reserve(scenarios.Scenario{Name: "browser-journeys-on-the-demo", Weight: 2})()
	env := harness.Start(t, fixtures.Demo(), harness.WithTarget("embedded"))
	reg := metrics.NewRegistry(time.Now())
	pool, err := browser.NewPool(t.Context(), browser.PoolConfig{MaxContexts: 1, Registry: reg, ArtifactDir: t.TempDir(), StepTimeout: 30 * time.Second})
	switch {
	case errors.Is(err, browser.ErrNoBrowser) && testing.Short():
		t.Skipf("-short and no Chromium: %v", err)
	case err != nil:
		t.Fatalf("start browser pool: %v", err)
	}
	t.Cleanup(func() {
		if err := pool.Close(); err != nil {
			t.Errorf("close browser pool: %v", err)
		}
	})
	url := env.URL("frontend")
	for i, j := range []browser.Journey{browser.ShopJourney(url), browser.HomeOnly(url), browser.CartCurrencyJourney(url)} {
		if err := pool.RunJourney(t.Context(), i+1, j, metrics.Tags{"journey": j.Name}); err != nil {
			t.Errorf("%s: %v", j.Name, err)
		}
	}
	home := reg.Metric(metrics.BrowserLCP).Aggregate(metrics.Tags{"page": "/"})
	if home.Count != 2 { // the shop journey and the home-only one start there
		t.Errorf("home LCP samples = %d, want 2", home.Count)
	}
	reqs := reg.Metric(metrics.BrowserHTTPReqFailed).Aggregate(nil)
	if reqs.Count == 0 {
		t.Error("no browser request was recorded")
	}
	t.Logf("home LCP max %.0f ms over %d samples; %d browser requests, %.1f%% failed", home.Max, home.Count, reqs.Count, 100*reqs.Rate())
}
