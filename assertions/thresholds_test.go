package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// slowCatalog is 60 s of cart requests at 20/s, 100 ms each, 900 ms during
// a product-catalog delay fault in [20 s, 40 s).
func slowCatalog(tb testing.TB) *builder {
	b := newBuilder(tb, 60*time.Second)
	cart := metrics.Tags{"name": "cart"}
	b.series(metrics.HTTPReqDuration, cart, 0, sec(60), 20, func(s, _ int) float64 {
		if s >= 20 && s < 40 {
			return 900
		}
		return 100
	})
	b.failures(cart, 0, sec(60), 20, func(int) int { return 0 })
	b.fault("product-catalog", "http: delay 900ms±150ms", sec(20), sec(40))
	b.window("flag.set", "adFailure", "on", sec(30), sec(50))
	return b
}

func TestThresholdsPerWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := slowCatalog(t).build()
		spec := map[string][]string{"http_req_duration{name:cart}": {"p(95)<500"}}

		var ok recorder
		if !assertions.Thresholds(&ok, run, spec, assertions.Before("product-catalog"), assertions.After("product-catalog")) {
			t.Fatalf("before/after should pass: %s", ok.text())
		}

		var r recorder
		if assertions.Thresholds(&r, run, spec, assertions.During("product-catalog")) {
			t.Fatal("during the delay fault p(95) is 900ms, the threshold must fail")
		}
		r.mustContain(t, "threshold http_req_duration{name:cart}: p(95)<500 failed: measured 90",
			"during product-catalog [20.0s–40.0s]",
			"fault.inject product-catalog http: delay 900ms±150ms [20.0s–40.0s]",
			"flag.set adFailure on [30.0s–50.0s]")

		// the whole run: p(95) sees the 20 s of 900 ms (a third of the samples)
		var whole recorder
		if assertions.Thresholds(&whole, run, spec) {
			t.Fatal("whole-run p(95) must fail")
		}
		whole.mustContain(t, "window whole run [0.0s–60.0s]")
	})
}

func TestThresholdsFromRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := slowCatalog(t).build()
		run.Thresholds = []metrics.ThresholdResult{
			{Metric: "http_req_failed", Source: "rate<0.01", Ok: true},
			{Metric: "http_req_duration{name:cart}", Source: "p(95)<500", Value: 900},
		}
		var r recorder
		if assertions.Thresholds(&r, run, nil) {
			t.Fatal("a failed run threshold must fail the assertion")
		}
		r.mustContain(t, "p(95)<500 failed: measured 900ms")
		if len(r.msgs) != 1 {
			t.Errorf("want 1 failure, got %d", len(r.msgs))
		}
	})
}

func TestThresholdsBadInput(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := slowCatalog(t).build()
		var r recorder
		if assertions.Thresholds(&r, run, map[string][]string{"http_req_duration": {"p(95)<500"}}, assertions.During("cart")) {
			t.Fatal("a selector without windows must fail")
		}
		r.mustContain(t, `no fault or flag window on the timeline matches "cart"`)
		var bad recorder
		if assertions.Thresholds(&bad, run, map[string][]string{"no_such_metric": {"p(95)<500"}}) {
			t.Fatal("an unknown metric must fail")
		}
	})
}

// A sub-metric that got no traffic fails its gate with "no samples":
// a threshold that passes without traffic is not a gate.
func TestThresholdsFailWithoutSamples(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := slowCatalog(t).build()
		var r recorder
		if assertions.Thresholds(&r, run, map[string][]string{"http_req_failed{name:checkout}": {"rate<0.01"}}) {
			t.Fatal("a rate over a sub-metric without samples passed")
		}
		r.mustContain(t, "threshold http_req_failed{name:checkout}: rate<0.01 failed: no samples")
		var c recorder
		if !assertions.Thresholds(&c, run, map[string][]string{"http_reqs{name:checkout}": {"count<1"}}) {
			t.Fatalf("a counter without samples counts 0: %s", c.text())
		}
	})
}
