package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

func TestWithinBaseline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bb := newBuilder(t, 60*time.Second)
		bb.series(metrics.HTTPReqDuration, metrics.Tags{"name": "cart"}, 0, sec(60), 20, constant(100))
		bb.failures(metrics.Tags{"name": "cart"}, 0, sec(60), 20, func(int) int { return 0 })
		base := bb.build()
		base.Name = "baseline"
		run := slowCatalog(t).build() // a third of the samples at 900 ms

		p95 := assertions.Compare{Metric: metrics.HTTPReqDuration, Filter: metrics.Tags{"name": "cart"}, Stat: "p(95)"}
		got, want, ratio, err := p95.Ratio(run, base)
		if err != nil {
			t.Fatal(err)
		}
		if got < 895 || got > 905 || want < 99.5 || want > 100.5 || ratio < 8.9 || ratio > 9.1 {
			t.Fatalf("p(95) %v vs %v (ratio %v), want ~900 vs 100", got, want, ratio)
		}
		var r recorder
		if assertions.WithinBaseline(&r, run, base, p95, 2) {
			t.Fatal("9x the baseline p(95) is over 2x")
		}
		r.mustContain(t, "p(95) of http_req_duration{name:cart} is 90", `ms against 100ms in baseline run "baseline": ratio 9`, "limit 2")
		var ok recorder
		if !assertions.WithinBaseline(&ok, run, base, p95, 10) {
			t.Errorf("9x is within 10x: %s", ok.text())
		}
		// both error rates are zero: a zero baseline allows zero
		rate := assertions.Compare{Metric: metrics.HTTPReqFailed, Filter: metrics.Tags{"name": "cart"}, Stat: "rate"}
		if !assertions.WithinBaseline(&ok, run, base, rate, 1) {
			t.Errorf("0 errors against 0: %s", ok.text())
		}
		if _, _, _, err := (assertions.Compare{Metric: metrics.HTTPReqDuration, Stat: "p(x)"}).Ratio(run, base); err == nil {
			t.Error("a bad statistic must be refused")
		}
	})
}
