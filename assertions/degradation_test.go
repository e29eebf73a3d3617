package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// recommendationsDown is a 60 s run where recommendation is down in
// [20 s, 40 s); the product page has 10 req/s, the cart journey 5 req/s.
// pageFails and fallbackShown say how the page behaves during the fault.
func recommendationsDown(tb testing.TB, pageFails bool, fallbackShown bool, cartFails int) *builder {
	b := newBuilder(tb, 60*time.Second)
	during := func(s int) bool { return s >= 20 && s < 40 }
	product, cart := metrics.Tags{"name": "product"}, metrics.Tags{"name": "cart"}
	b.failures(product, 0, sec(60), 10, func(s int) int {
		if pageFails && during(s) {
			return 5
		}
		return 0
	})
	b.series(metrics.Checks, metrics.Tags{"check": "recommendations fallback shown"}, sec(20), sec(40), 10, func(int, int) float64 {
		if fallbackShown {
			return 1
		}
		return 0
	})
	b.failures(cart, 0, sec(60), 5, func(s int) int {
		if during(s) {
			return cartFails
		}
		return 0
	})
	b.fault("recommendation", "lifecycle: stop", sec(20), sec(40))
	return b
}

func degradation() assertions.Degradation {
	return assertions.Degradation{
		Fault:     "recommendation",
		Page:      metrics.Tags{"name": "product"},
		Fallback:  metrics.Tags{"check": "recommendations fallback shown"},
		Unrelated: []assertions.SLO{assertions.Availability(metrics.Tags{"name": "cart"}, 0.99)},
	}
}

func TestGracefulDegradationHolds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := recommendationsDown(t, false, true, 0).build()
		var r recorder
		if !assertions.GracefulDegradation(&r, run, degradation()) {
			t.Fatalf("page answered with its fallback and cart kept its slo: %s", r.text())
		}
	})
}

func TestGracefulDegradationFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := recommendationsDown(t, true, false, 1).build()
		var r recorder
		if assertions.GracefulDegradation(&r, run, degradation()) {
			t.Fatal("page errors, no fallback and a broken cart must fail")
		}
		if len(r.msgs) != 3 {
			t.Errorf("want 3 failures (page, fallback, cart), got %d:\n%s", len(r.msgs), r.text())
		}
		r.mustContain(t,
			"degraded page http_req_failed{name:product} did not keep answering: 50% of 200 requests failed, limit 1%",
			"fallback checks{check:recommendations fallback shown} shown in 0% of 200 checks, want ≥ 99%",
			"unrelated journey lost its slo 99% of http_req_failed{name:cart} false: 80% good (80/100)",
			"window during recommendation [20.0s–40.0s]; active: fault.inject recommendation lifecycle: stop")
	})
}

func TestGracefulDegradationNeedsEvidence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.failures(metrics.Tags{"name": "product"}, 0, sec(10), 10, func(int) int { return 0 })
		b.fault("recommendation", "lifecycle: stop", sec(20), sec(40))
		var r recorder
		d := degradation()
		d.Unrelated = nil
		if assertions.GracefulDegradation(&r, b.build(), d) {
			t.Fatal("no traffic during the fault is no evidence of degradation")
		}
		r.mustContain(t, "no requests measured", "no checks measured")
		if err := (assertions.Degradation{MaxFailed: 2}).Validate(); err == nil {
			t.Error("a missing page and max failed > 1 must be refused")
		}
	})
}
