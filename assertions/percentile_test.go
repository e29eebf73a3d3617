package assertions_test

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// Seed 002: an average-based SLO stayed green for a week while the tail was
// broken. 95% of requests at 100 ms and 5% at 2 s average 195 ms (< 200 ms)
// while p(99) is 2 s (> 1 s).
func tailRun(tb testing.TB) *builder {
	b := newBuilder(tb, 20*time.Second)
	b.series(metrics.HTTPReqDuration, metrics.Tags{"name": "checkout"}, 0, sec(20), 100, func(_, i int) float64 {
		if i < 5 {
			return 2000
		}
		return 100
	})
	return b
}

func TestTailHiddenByAverage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := tailRun(t).build()
		tail, err := assertions.TailHiddenByAverage(run, metrics.HTTPReqDuration, metrics.Tags{"name": "checkout"}, 200, 1000, 99)
		if err != nil {
			t.Fatal(err)
		}
		if !tail.Hidden() || !near(tail.Avg, 195) || tail.Percentile < 1990 || tail.Percentile > 2010 {
			t.Fatalf("tail %+v", tail)
		}
		for _, want := range []string{"avg 195 (limit 200) ok", "p(99) 2000 (limit 1000) BREACHED", "the average hides a tail breach"} {
			if !strings.Contains(tail.String(), want) {
				t.Errorf("%q lacks %q", tail, want)
			}
		}
		if _, err := assertions.TailHiddenByAverage(run, metrics.HTTPReqFailed, nil, 1, 1, 99); err == nil {
			t.Error("a rate has no percentiles")
		}
	})
}

func TestPercentileBelow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := tailRun(t).build()
		filter := metrics.Tags{"name": "checkout"}
		var ok recorder
		if !assertions.PercentileBelow(&ok, run, metrics.HTTPReqDuration, filter, 90, 150) {
			t.Errorf("p(90) is 100ms: %s", ok.text())
		}
		var r recorder
		if assertions.PercentileBelow(&r, run, metrics.HTTPReqDuration, filter, 99, 1000, assertions.Offsets(0, sec(10))) {
			t.Fatal("p(99) is 2s")
		}
		r.mustContain(t, "p(99) of http_req_duration{name:checkout} is 199", "ms, limit <1000ms (avg 195ms, max 2000ms, 1000 samples)", "window between [0.0s–10.0s]")
	})
}

// countAtMost is exercised through latency SLOs: the share of good samples
// must be exact away from the limit (the per-second histograms resolve
// values to ~0.5%, so samples that close to the limit may land either side).
func TestLatencySLOCounts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := tailRun(t).build()
		for _, c := range []struct {
			limit time.Duration
			good  uint64
		}{{50 * time.Millisecond, 0}, {100 * time.Millisecond, 1900}, {1900 * time.Millisecond, 1900}, {2 * time.Second, 2000}} {
			good, total, err := assertions.Latency(nil, c.limit, 0.9).Events(run, run.Start, run.End)
			if err != nil || good != c.good || total != 2000 {
				t.Errorf("≤ %s: %d good of %d (%v), want %d of 2000", c.limit, good, total, err, c.good)
			}
		}
	})
}
