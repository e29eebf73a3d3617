package metrics

import (
	"testing"
	"time"
)

// FuzzParseThresholds checks that any metric name and expression either
// parses into a set that evaluates, or is a clean error: never a panic.
func FuzzParseThresholds(f *testing.F) {
	for _, s := range [][2]string{
		{"http_req_duration", "p(95)<500"},
		{"http_req_failed{name:cart}", "rate<0.01"},
		{"http_reqs", "count>=10"},
		{"vus", "value<5"},
		{"http_req_duration{a:b,c:d}", "p(99.99) <= 1.5"},
		{"checks", "rate>"},
		{"x{", "avg<"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, expr string) {
		start := time.Unix(0, 0)
		reg := NewRegistry(start)
		reg.Metric(HTTPReqDuration).Series(Tags{"a": "b"}).Add(start, 12)
		reg.Metric(HTTPReqFailed).Series(nil).Add(start, 1)
		ts, err := ParseThresholds(map[string][]string{name: {expr}}, reg)
		if err != nil {
			return
		}
		if got := ts.Evaluate(time.Time{}, time.Time{}); len(got) != 1 {
			t.Fatalf("%d results for one expression", len(got))
		}
		ts.Evaluate(start, start.Add(time.Second))
	})
}

// FuzzParseThresholdsJSON feeds k6 options-file thresholds: never a panic.
func FuzzParseThresholdsJSON(f *testing.F) {
	f.Add(`{"http_req_duration": ["p(95)<500", {"threshold": "p(99)<1500", "abortOnFail": true, "delayAbortEval": "10s"}]}`)
	f.Add(`{"checks": [{"threshold": "rate>0.9", "delayAbortEval": 12}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		reg := NewRegistry(time.Unix(0, 0))
		if ts, err := ParseThresholdsJSON([]byte(doc), reg); err == nil {
			ts.Evaluate(time.Time{}, time.Time{})
			ts.CheckAbort(time.Minute)
		}
	})
}
