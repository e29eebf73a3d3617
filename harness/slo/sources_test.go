package slo_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// FromMetrics counts complete seconds once and the second in progress
// at every call, for rates and for latency trends.
func TestFromMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := metrics.NewRegistry(time.Now())
		failed := reg.Metric(metrics.HTTPReqFailed)
		dur := reg.Metric(metrics.HTTPReqDuration)
		avail, err := slo.FromMetrics(reg, slo.Selector{Filter: metrics.Tags{"name": "checkout"}})
		if err != nil {
			t.Fatal(err)
		}
		lat, err := slo.FromMetrics(reg, slo.Selector{Metric: metrics.HTTPReqDuration, Latency: 350 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		checkout, home := metrics.Tags{"name": "checkout"}, metrics.Tags{"name": "home"}
		for sec := 0; sec < 3; sec++ {
			now := time.Now()
			for i := 0; i < 10; i++ {
				failed.Series(checkout).Add(now, b2f(i < sec)) // sec failures in second sec
				failed.Series(home).Add(now, 1)                // filtered out
				dur.Series(checkout).Add(now, float64(100*i))  // 0..900 ms: 4 are ≤ 350
			}
			c, _ := avail.Counts(t.Context(), now)
			if want := uint64(10 * (sec + 1)); c.Total != want {
				t.Errorf("second %d: %d events, want %d", sec, c.Total, want)
			}
			if bad := c.Total - c.Good; bad != uint64(sec*(sec+1)/2) {
				t.Errorf("second %d: %d bad, want %d", sec, bad, sec*(sec+1)/2)
			}
			l, _ := lat.Counts(t.Context(), now)
			if l.Good != uint64(4*(sec+1)) || l.Total != uint64(10*(sec+1)) {
				t.Errorf("second %d: latency %d good of %d, want %d of %d", sec, l.Good, l.Total, 4*(sec+1), 10*(sec+1))
			}
			time.Sleep(time.Second)
		}
		if _, err := slo.FromMetrics(reg, slo.Selector{Metric: metrics.HTTPReqDuration}); err == nil {
			t.Error("a latency source without a limit was accepted")
		}
		if _, err := slo.FromMetrics(reg, slo.Selector{Metric: "nope"}); err == nil {
			t.Error("an unknown metric was accepted")
		}
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// FromEdges counts the proxies' requests of one edge, from any client.
func TestFromEdges(t *testing.T) {
	edges := []proxy.Edge{
		{Caller: "", Callee: "frontend", Requests: 100, Outcomes: map[string]uint64{"2xx": 90, "4xx": 5, "5xx": 5, "injected_delay": 30}},
		{Caller: "checkout", Callee: "payment", Requests: 50, Outcomes: map[string]uint64{"grpc_OK": 40, "grpc_Internal": 8, "grpc_InvalidArgument": 2}},
		{Caller: "frontend", Callee: "payment", Requests: 10, Outcomes: map[string]uint64{"conn_error": 10, "blocked": 3}},
	}
	read := func(context.Context) ([]proxy.Edge, error) { return edges, nil }
	cases := []struct {
		sel         slo.EdgeSelector
		good, total uint64
	}{
		{slo.EdgeSelector{Caller: "client", Callee: "frontend"}, 95, 100},
		{slo.EdgeSelector{Caller: "checkout", Callee: "payment"}, 42, 50},
		{slo.EdgeSelector{Callee: "payment"}, 42, 63},
		{slo.EdgeSelector{}, 137, 163},
	}
	for _, c := range cases {
		got, err := slo.FromEdges(read, c.sel).Counts(t.Context(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got.Good != c.good || got.Total != c.total {
			t.Errorf("%s: %d good of %d, want %d of %d", c.sel, got.Good, got.Total, c.good, c.total)
		}
	}
}

// Live thresholds judge the samples so far and ignore a metric that has
// none yet, as k6 does for abortOnFail.
func TestThresholdsCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := metrics.NewRegistry(time.Now())
		check, err := slo.Thresholds(reg, map[string][]string{"http_req_failed": {"rate<0.1"}})
		if err != nil {
			t.Fatal(err)
		}
		if st := check.Eval(t.Context(), time.Now()); !st.Healthy {
			t.Errorf("no samples yet judged broken: %v", st)
		}
		s := reg.Metric(metrics.HTTPReqFailed).Series(nil)
		for i := 0; i < 10; i++ {
			s.Add(time.Now(), 0)
		}
		time.Sleep(time.Second)
		if st := check.Eval(t.Context(), time.Now()); !st.Healthy {
			t.Errorf("0%% failed judged broken: %v", st)
		}
		for i := 0; i < 5; i++ {
			s.Add(time.Now(), 1)
		}
		time.Sleep(time.Second)
		st := check.Eval(t.Context(), time.Now())
		if st.Healthy || !strings.Contains(st.Detail, "rate<0.1") {
			t.Errorf("33%% failed: %v, want broken naming the expression", st)
		}
		if _, err := slo.Thresholds(reg, map[string][]string{"http_req_failed": {"p(95)<"}}); err == nil {
			t.Error("a bad expression was accepted")
		}
	})
}
