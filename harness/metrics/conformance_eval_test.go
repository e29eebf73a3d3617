package metrics

import (
	"math"
	"testing"
	"time"
)

// knownRegistry is the evaluation data set; every expected value in
// evalCases is computed by hand from it.
//
//   - http_req_duration{name:a}: 1, 2, …, 100 ms, one every 10 ms in
//     second 0. count 100, sum 5050, avg 50.5, min 1, max 100; nearest
//     rank: med = 50, p(90) = 90, p(95) = 95, p(99) = 99, p(99.9) = 100.
//   - http_req_duration{name:b}: 1000 ms twice, in second 5.
//   - http_req_failed{name:cart}: 40 samples in seconds 0–3, 10 of them 1
//     (all in second 2): rate 0.25; {name:home}: 60 zeros in seconds 0–5.
//   - http_reqs{name:home}: 100 samples of 1 over 10 s (one every 100 ms):
//     count 100, rate 10/s over the 10 s run; 10 per second.
//   - data_sent: 4 samples of 2500 bytes: count 10000.
//   - vus: 5 at 1 s, 7 at 2 s, 3 at 3 s, recorded out of order: value 3.
//   - iterations, checks, browser_web_vital_lcp: no samples at all.
func knownRegistry(t *testing.T) (*Registry, time.Time) {
	t.Helper()
	reg, start := newTestRegistry(t)
	dur := reg.Metric(HTTPReqDuration)
	for i := 1; i <= 100; i++ {
		dur.Series(Tags{"name": "a"}).Add(start.Add(time.Duration(i)*9*time.Millisecond), float64(i))
	}
	dur.Series(Tags{"name": "b"}).Add(start.Add(5200*time.Millisecond), 1000)
	dur.Series(Tags{"name": "b"}).Add(start.Add(5700*time.Millisecond), 1000)
	failed := reg.Metric(HTTPReqFailed)
	for i := range 40 {
		v := 0.0
		if i >= 20 && i < 30 {
			v = 1
		}
		failed.Series(Tags{"name": "cart"}).Add(start.Add(time.Duration(i)*100*time.Millisecond), v)
	}
	for i := range 60 {
		failed.Series(Tags{"name": "home"}).Add(start.Add(time.Duration(i)*100*time.Millisecond), 0)
	}
	for i := range 100 {
		reg.Metric(HTTPReqs).Series(Tags{"name": "home"}).Add(start.Add(time.Duration(i)*100*time.Millisecond), 1)
	}
	for i := range 4 {
		reg.Metric(DataSent).Series(nil).Add(start.Add(time.Duration(i)*time.Second), 2500)
	}
	vus := reg.Metric(VUs).Series(nil)
	vus.Add(start.Add(3*time.Second), 3)
	vus.Add(start.Add(1*time.Second), 5)
	vus.Add(start.Add(2*time.Second), 7)
	return reg, start
}

// evalCases: a selector and expression, the window (seconds from start;
// from == to == -1 for the whole 10 s run), the verdict and value.
var evalCases = []struct {
	sel, expr string
	from, to  int
	ok        bool
	value     float64
	noSamples bool
}{
	// trends, whole run: exact count-based stats, percentiles by nearest rank
	{"http_req_duration{name:a}", "avg==50.5", -1, -1, true, 50.5, false},
	{"http_req_duration{name:a}", "min==1", -1, -1, true, 1, false},
	{"http_req_duration{name:a}", "max==100", -1, -1, true, 100, false},
	{"http_req_duration{name:a}", "med<50.1", -1, -1, true, 50, false},
	{"http_req_duration{name:a}", "p(50)<50.1", -1, -1, true, 50, false},
	{"http_req_duration{name:a}", "p(90)<=90.1", -1, -1, true, 90, false},
	{"http_req_duration{name:a}", "p(95)<95", -1, -1, false, 95, false},
	{"http_req_duration{name:a}", "p(99)>98.9", -1, -1, true, 99, false},
	{"http_req_duration{name:a}", "p(99.9)==100", -1, -1, true, 100, false},
	{"http_req_duration{name:a}", "p(100)==100", -1, -1, true, 100, false},
	{"http_req_duration{name:a}", "p(0)==1", -1, -1, true, 1, false},
	{"http_req_duration", "max==1000", -1, -1, true, 1000, false},
	{"http_req_duration", "avg<70", -1, -1, true, 7050.0 / 102, false},
	{"http_req_duration", "p(99)<1000", -1, -1, false, 1000, false},
	{"http_req_duration", "p(98)<101", -1, -1, true, 100, false},
	// trends in windows
	{"http_req_duration", "max<1000", 0, 5, true, 100, false},
	{"http_req_duration", "avg==1000", 5, 6, true, 1000, false},
	{"http_req_duration{name:a}", "p(95)<500", 1, 10, false, 0, true},
	{"http_req_duration{name:b}", "p(95)<500", 0, 5, false, 0, true},
	{"http_req_duration{name:nobody}", "p(95)<500", -1, -1, false, 0, true},
	// rates: share of non-zero samples
	{"http_req_failed{name:cart}", "rate==0.25", -1, -1, true, 0.25, false},
	{"http_req_failed{name:cart}", "rate<0.25", -1, -1, false, 0.25, false},
	{"http_req_failed{name:cart}", "rate<=0.25", -1, -1, true, 0.25, false},
	{"http_req_failed{name:cart}", "rate===0.25", -1, -1, true, 0.25, false},
	{"http_req_failed{name:cart}", "rate!=0.25", -1, -1, false, 0.25, false},
	{"http_req_failed{name:cart}", "rate>=0.3", -1, -1, false, 0.25, false},
	{"http_req_failed{name:cart}", "rate>0.2", -1, -1, true, 0.25, false},
	{"http_req_failed", "rate==0.1", -1, -1, true, 0.1, false},
	{"http_req_failed{name:home}", "rate==0", -1, -1, true, 0, false},
	{"http_req_failed{name:cart}", "rate==1", 2, 3, true, 1, false},
	{"http_req_failed{name:cart}", "rate==0", 0, 2, true, 0, false},
	{"http_req_failed{name:cart}", "rate<0.01", 4, 10, false, 0, true},
	{"http_req_failed{name:nobody}", "rate<0.01", -1, -1, false, 0, true},
	{"checks", "rate>0.99", -1, -1, false, 0, true},
	// counters: count is the sum, rate is per second of the span; no
	// samples is a count of 0, judged as such
	{"http_reqs{name:home}", "count==100", -1, -1, true, 100, false},
	{"http_reqs{name:home}", "rate==10", -1, -1, true, 10, false},
	{"http_reqs{name:home}", "count==50", 0, 5, true, 50, false},
	{"http_reqs{name:home}", "rate==10", 0, 5, true, 10, false},
	{"http_reqs{name:home}", "count==10", 9, 10, true, 10, false},
	{"http_reqs{name:home}", "rate==5", 8, 12, true, 5, false},
	{"http_reqs{name:nobody}", "count==0", -1, -1, true, 0, false},
	{"http_reqs", "count>=100", -1, -1, true, 100, false},
	{"iterations", "count<10", -1, -1, true, 0, false},
	{"iterations", "count>0", -1, -1, false, 0, false},
	{"iterations", "rate==0", -1, -1, true, 0, false},
	{"data_sent", "count==10000", -1, -1, true, 10000, false},
	{"data_sent", "rate==1000", -1, -1, true, 1000, false},
	// gauges: the latest sample by time
	{"vus", "value==3", -1, -1, true, 3, false},
	{"vus", "value==7", 2, 3, true, 7, false},
	{"vus", "value<5", 0, 2, false, 5, false},
	{"vus", "value<5", 5, 9, false, 0, true},
	{"vus_max", "value<100", -1, -1, false, 0, true},
	{"browser_web_vital_lcp", "p(75)<2500", -1, -1, false, 0, true},
}

func TestConformanceEvaluation(t *testing.T) {
	reg, start := knownRegistry(t)
	for _, c := range evalCases {
		ts, err := ParseThresholds(map[string][]string{c.sel: {c.expr}}, reg)
		if err != nil {
			t.Fatalf("%s %s: %v", c.sel, c.expr, err)
		}
		ts.SetRun(start, start.Add(10*time.Second))
		var from, to time.Time
		if c.from >= 0 {
			from, to = start.Add(time.Duration(c.from)*time.Second), start.Add(time.Duration(c.to)*time.Second)
		}
		got := ts.Evaluate(from, to)
		if len(got) != 1 {
			t.Fatalf("%s %s: %d results", c.sel, c.expr, len(got))
		}
		r := got[0]
		// HDR keeps 3 significant digits, a window's histogram 0.5%
		tol := 1e-12
		if c.expr[0] == 'p' || c.expr[0] == 'm' && c.expr[1] == 'e' {
			tol = 5e-3 * c.value
		}
		if r.Ok != c.ok || r.NoSamples != c.noSamples || math.Abs(r.Value-c.value) > tol {
			t.Errorf("%s %s [%d,%d): got ok=%v value=%v noSamples=%v, want ok=%v value=%v noSamples=%v",
				c.sel, c.expr, c.from, c.to, r.Ok, r.Value, r.NoSamples, c.ok, c.value, c.noSamples)
		}
		if r.Metric != c.sel || r.Source != c.expr {
			t.Errorf("result names %q %q, want %q %q", r.Metric, r.Source, c.sel, c.expr)
		}
	}
}

func TestAllowNoSamplesOptsOut(t *testing.T) {
	reg, start := knownRegistry(t)
	ts, err := ParseThresholdConfigs(map[string][]ThresholdConfig{
		"http_req_failed{name:nobody}": {{Threshold: "rate<0.01", AllowNoSamples: true}, {Threshold: "rate<0.02"}},
		"http_req_failed{name:cart}":   {{Threshold: "rate<0.01", AllowNoSamples: true}},
	}, reg)
	if err != nil {
		t.Fatal(err)
	}
	ts.SetRun(start, start.Add(10*time.Second))
	got := byKey(ts.Evaluate(time.Time{}, time.Time{}))
	if r := got["http_req_failed{name:nobody} rate<0.01"]; !r.Ok || !r.NoSamples || !r.AllowNoSamples {
		t.Errorf("opted out, no samples: %+v", r)
	}
	if r := got["http_req_failed{name:nobody} rate<0.02"]; r.Ok || !r.NoSamples {
		t.Errorf("not opted out, no samples: %+v", r)
	}
	if r := got["http_req_failed{name:cart} rate<0.01"]; r.Ok || r.NoSamples || r.Value != 0.25 {
		t.Errorf("opting out must not pass a metric that has samples: %+v", r)
	}
	if s := got["http_req_failed{name:nobody} rate<0.02"].String(); s != "http_req_failed{name:nobody} rate<0.02: failed, no samples" {
		t.Errorf("String() = %q", s)
	}
}
