package browser

import (
	"os"
	"testing"
)

// TestRealDemoShopJourney runs the journeys against a demo started by
// `gameday demo` (set GAMEDAY_DEMO_URL to its frontend's URL, on loopback):
// it checks the hooks agree with the demo's templates.
func TestRealDemoShopJourney(t *testing.T) {
	url := os.Getenv("GAMEDAY_DEMO_URL")
	if url == "" {
		t.Skip("GAMEDAY_DEMO_URL not set (gameday demo prints the frontend URL)")
	}
	tags := testTags(t)
	for _, j := range []Journey{ShopJourney(url), HomeOnly(url), CartCurrencyJourney(url)} {
		if err := shared.RunJourney(t.Context(), 300, j, tags); err != nil {
			t.Errorf("%s: %v", j.Name, err)
		}
	}
	if a := agg(metricsLCP, tags.With("page", "/")); a.Count != 2 {
		t.Errorf("home LCP samples = %d, want 2", a.Count)
	}
	t.Logf("home LCP max %.0f ms, browser_http_req_failed rate %.3f over %d requests",
		agg(metricsLCP, tags.With("page", "/")).Max, agg(metricsHTTPFailed, tags).Rate(), agg(metricsHTTPFailed, tags).Count)
}
