package browser

import (
	"sync"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// imageSlowLoadDelay is the seed-000 imageSlowLoad delay the check uses: the
// OpenTelemetry demo's image provider holds images back by seconds, and an
// LCP threshold of p(75)<2500 (Google's "good" LCP) must catch it.
const imageSlowLoadDelay = 5 * time.Second

// lcpJourneysPerPhase is the number of home page loads per phase, run at once.
const lcpJourneysPerPhase = sharedMaxContexts

func runHomePhase(t *testing.T, shop *TestShop, tags metrics.Tags) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, lcpJourneysPerPhase)
	for vu := range lcpJourneysPerPhase {
		wg.Go(func() {
			if err := shared.RunJourney(t.Context(), 100+vu, HomeOnly(shop.URL), tags); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSlowImageRaisesLCPAndFailsThreshold(t *testing.T) {
	shop := NewTestShop(t)
	base := testTags(t).With("page", "/")
	// Warm the VUs' contexts first: opening four renderers at once would
	// slow the baseline's paints, not the image's.
	runHomePhase(t, shop, testTags(t).With("phase", "warmup"))
	runHomePhase(t, shop, testTags(t).With("phase", "baseline"))
	shop.ImageDelay.Store(int64(imageSlowLoadDelay))
	runHomePhase(t, shop, testTags(t).With("phase", "slow"))

	fast := agg(metricsLCP, base.With("phase", "baseline"))
	slow := agg(metricsLCP, base.With("phase", "slow"))
	if fast.Count != lcpJourneysPerPhase || slow.Count != lcpJourneysPerPhase {
		t.Fatalf("LCP samples: baseline %d slow %d, want %d each", fast.Count, slow.Count, lcpJourneysPerPhase)
	}
	rise := slow.Quantile(0.75) - fast.Quantile(0.75)
	t.Logf("LCP p75: baseline %.0f ms, image delayed %s: %.0f ms (rise %.0f ms)",
		fast.Quantile(0.75), imageSlowLoadDelay, slow.Quantile(0.75), rise)
	if rise < float64(imageSlowLoadDelay.Milliseconds()) {
		t.Errorf("LCP p75 rose by %.0f ms, want >= %d ms", rise, imageSlowLoadDelay.Milliseconds())
	}

	name := func(phase string) string {
		return metricsLCP + "{page:/,test:" + t.Name() + ",phase:" + phase + "}"
	}
	ts, err := metrics.ParseThresholds(map[string][]string{
		name("baseline"): {"p(75)<2500"},
		name("slow"):     {"p(75)<2500"},
	}, sharedReg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ts.Evaluate(time.Time{}, time.Time{}) {
		wantOk := r.Metric == name("baseline")
		if r.Ok != wantOk {
			t.Errorf("%s %s: ok=%v (value %.0f), want %v", r.Metric, r.Source, r.Ok, r.Value, wantOk)
		}
	}
}
