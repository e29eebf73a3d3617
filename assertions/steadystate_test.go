package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
)

func TestSteadyState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slo := assertions.Availability(metrics.Tags{"name": "cart"}, 0.99)
		lat := assertions.Latency(nil, 500*time.Millisecond, 0.95)
		var ok recorder
		if !assertions.SteadyState(&ok, slowCatalog(t).build(), slo, lat) {
			t.Errorf("cart is healthy before and after the fault: %s", ok.text())
		}

		// after the last revert cart keeps failing: the hypothesis breaks
		b := cartOutage(t, 40)
		b.failures(metrics.Tags{"name": "home"}, 0, sec(60), 1, func(int) int { return 0 })
		run := b.build()
		var r recorder
		if assertions.SteadyState(&r, run, slo) {
			t.Fatal("cart never recovered: steady state after the revert must fail")
		}
		r.mustContain(t, "probe 99% of http_req_failed{name:cart} false did not hold: 0% good (0/400)",
			"window steady state after the last revert [20.0s–60.0s]")
		if len(r.msgs) != 1 {
			t.Errorf("only the after window fails, got %d failures", len(r.msgs))
		}
	})
}

func TestSteadyStateProbeFunc(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := slowCatalog(t).build()
		calls := 0
		p := assertions.ProbeFunc{Name: "catalog answers", Func: func(_ *harness.Run, from, to time.Time) (bool, string, error) {
			calls++
			return false, "HTTP 503", nil
		}}
		var r recorder
		if assertions.SteadyState(&r, run, p) || calls != 2 {
			t.Fatalf("a failing probe must fail both windows (calls %d)", calls)
		}
		r.mustContain(t, "probe catalog answers did not hold: HTTP 503", "steady state before the first fault [0.0s–20.0s]")
	})
}
