package metrics

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func newTestRegistry(t *testing.T) (*Registry, time.Time) {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return NewRegistry(start), start
}

func TestParseThresholdsRejectsBadInputBeforeRun(t *testing.T) {
	reg, _ := newTestRegistry(t)
	cases := map[string]map[string][]string{
		"bad expression":      {HTTPReqDuration: {"p(95)<<500"}},
		"unknown metric":      {"no_such_metric": {"count>0"}},
		"wrong aggregation":   {HTTPReqFailed: {"p(95)<1"}},
		"bad tag filter":      {"http_req_duration{name": {"avg<1"}},
		"unknown aggregation": {HTTPReqDuration: {"foo<1"}},
	}
	for name, spec := range cases {
		if _, err := ParseThresholds(spec, reg); err == nil {
			t.Errorf("%s: want error, got nil", name)
		}
	}
	_, err := ParseThresholds(map[string][]string{"no_such_metric": {"count>0"}}, reg)
	if err == nil || !strings.Contains(err.Error(), "no_such_metric") {
		t.Fatalf("error should name the metric: %v", err)
	}
}

func TestThresholdsTrendQuantilesMatchAggregate(t *testing.T) {
	reg, start := newTestRegistry(t)
	s := reg.Metric(HTTPReqDuration).Series(Tags{"name": "a"})
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		s.Add(start.Add(time.Duration(i)*time.Millisecond), 1+r.ExpFloat64()*50)
	}
	ts, err := ParseThresholds(map[string][]string{
		HTTPReqDuration: {"p(95)<1000", "p(99.9)<1", "med>0", "avg<1000", "max<1", "min>0"},
	}, reg)
	if err != nil {
		t.Fatal(err)
	}
	agg := reg.Metric(HTTPReqDuration).Aggregate(nil)
	want := []struct {
		src   string
		ok    bool
		value float64
	}{
		{"avg<1000", true, agg.Avg()},
		{"max<1", false, agg.Max},
		{"med>0", true, agg.Quantile(0.5)},
		{"min>0", true, agg.Min},
		{"p(95)<1000", true, agg.Quantile(0.95)},
		{"p(99.9)<1", false, agg.Quantile(0.999)},
	}
	got := map[string]ThresholdResult{}
	for _, r := range ts.Evaluate(time.Time{}, time.Time{}) {
		got[r.Source] = r
	}
	for _, w := range want {
		g := got[w.src]
		if g.Ok != w.ok || abs(g.Value-w.value) > 1e-9*w.value {
			t.Errorf("%s: got ok=%v value=%v, want ok=%v value=%v", w.src, g.Ok, g.Value, w.ok, w.value)
		}
	}
}

func TestThresholdsTagFiltersAndWindows(t *testing.T) {
	reg, start := newTestRegistry(t)
	failed := reg.Metric(HTTPReqFailed)
	reqs := reg.Metric(HTTPReqs)
	for i := 0; i < 100; i++ {
		at := start.Add(time.Duration(i) * 100 * time.Millisecond) // 10 s
		bad := 0.0
		if i >= 50 && i < 60 { // second 5: the cart fails
			bad = 1
		}
		failed.Series(Tags{"name": "cart"}).Add(at, bad)
		failed.Series(Tags{"name": "home"}).Add(at, 0)
		reqs.Series(Tags{"name": "home"}).Add(at, 1)
	}
	ts, err := ParseThresholds(map[string][]string{
		"http_req_failed{name:cart}": {"rate<0.05"},
		"http_req_failed{name:home}": {"rate==0"},
		"http_reqs{name:home}":       {"count>=100", "rate>9"},
	}, reg)
	if err != nil {
		t.Fatal(err)
	}
	ts.SetRun(start, start.Add(10*time.Second))
	whole := byKey(ts.Evaluate(time.Time{}, time.Time{}))
	if r := whole["http_req_failed{name:cart} rate<0.05"]; r.Ok || r.Value != 0.1 {
		t.Errorf("cart whole run: %+v", r)
	}
	if r := whole["http_req_failed{name:home} rate==0"]; !r.Ok {
		t.Errorf("home whole run: %+v", r)
	}
	if r := whole["http_reqs{name:home} rate>9"]; !r.Ok || r.Value != 10 {
		t.Errorf("reqs rate: %+v", r)
	}
	calm := byKey(ts.Evaluate(start, start.Add(5*time.Second)))
	if r := calm["http_req_failed{name:cart} rate<0.05"]; !r.Ok || r.Value != 0 {
		t.Errorf("cart calm window: %+v", r)
	}
	if r := calm["http_reqs{name:home} count>=100"]; r.Ok || r.Value != 50 {
		t.Errorf("count in window: %+v", r)
	}
	bad := byKey(ts.Evaluate(start.Add(5*time.Second), start.Add(6*time.Second)))
	if r := bad["http_req_failed{name:cart} rate<0.05"]; r.Ok || r.Value != 1 {
		t.Errorf("cart bad window: %+v", r)
	}
}

func TestThresholdsAbortOnFailWithDelay(t *testing.T) {
	reg, start := newTestRegistry(t)
	ts, err := ParseThresholdConfigs(map[string][]ThresholdConfig{
		HTTPReqFailed:   {{Threshold: "rate<0.1", AbortOnFail: true, DelayAbortEval: 10 * time.Second}},
		HTTPReqDuration: {{Threshold: "p(95)<100"}},
	}, reg)
	if err != nil {
		t.Fatal(err)
	}
	if !ts.HasAbort() {
		t.Fatal("HasAbort false")
	}
	if abort, _ := ts.CheckAbort(time.Second); abort {
		t.Fatal("abort without samples")
	}
	reg.Metric(HTTPReqFailed).Series(nil).Add(start, 1)
	reg.Metric(HTTPReqDuration).Series(nil).Add(start, 500) // failing, but not abortOnFail
	if abort, _ := ts.CheckAbort(5 * time.Second); abort {
		t.Fatal("abort before delayAbortEval")
	}
	abort, fired := ts.CheckAbort(11 * time.Second)
	if !abort || len(fired) != 1 || fired[0].Metric != HTTPReqFailed || !fired[0].Aborted || fired[0].Ok {
		t.Fatalf("abort=%v fired=%+v", abort, fired)
	}
}

func byKey(rs []ThresholdResult) map[string]ThresholdResult {
	m := map[string]ThresholdResult{}
	for _, r := range rs {
		m[r.Metric+" "+r.Source] = r
	}
	return m
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestParseThresholdsJSON(t *testing.T) {
	reg, _ := newTestRegistry(t)
	ts, err := ParseThresholdsJSON([]byte(`{
		"http_req_duration": ["p(95)<500", {"threshold": "p(99)<1500", "abortOnFail": true, "delayAbortEval": "10s"}],
		"checks": [{"threshold": "rate>0.9", "abortOnFail": true, "delayAbortEval": 2500}]
	}`), reg)
	if err != nil {
		t.Fatal(err)
	}
	if ts.Len() != 3 || !ts.HasAbort() {
		t.Fatalf("len %d abort %v", ts.Len(), ts.HasAbort())
	}
	byMetric := map[string]ThresholdConfig{}
	for _, it := range ts.items {
		byMetric[it.metricSrc+" "+it.cfg.Threshold] = it.cfg
	}
	if c := byMetric["http_req_duration p(99)<1500"]; c.DelayAbortEval != 10*time.Second || !c.AbortOnFail {
		t.Errorf("object form: %+v", c)
	}
	if c := byMetric["checks rate>0.9"]; c.DelayAbortEval != 2500*time.Millisecond {
		t.Errorf("milliseconds: %+v", c)
	}
	for _, bad := range []string{`{"checks": [{"threshold": "rate>0.9", "abortOnFial": true}]}`,
		`{"checks": [{"threshold": "rate>0.9", "delayAbortEval": "soon"}]}`, `{"checks": "rate>0.9"}`} {
		if _, err := ParseThresholdsJSON([]byte(bad), reg); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
