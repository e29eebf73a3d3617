package metrics

import (
	"encoding/binary"
	"math"
	"sort"
	"testing"
	"time"
)

// FuzzParseExpression: any string either parses into an expression whose
// canonical form parses back to the same expression, or is a clean error.
func FuzzParseExpression(f *testing.F) {
	for _, c := range expressionCases {
		f.Add(c.src)
	}
	for _, c := range badExpressionCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseExpression(src)
		if err != nil {
			return
		}
		if math.IsNaN(e.Bound) || math.IsInf(e.Bound, 0) || e.Aggregation.Percentile < 0 || e.Aggregation.Percentile > 100 {
			t.Fatalf("%q parsed to an out-of-range %+v", src, e)
		}
		again, err := ParseExpression(e.String())
		if err != nil || again != e {
			t.Fatalf("%q → %q → %+v, %v; want %+v", src, e.String(), again, err, e)
		}
	})
}

// FuzzParseSelector: any string either parses into a selector whose
// canonical form parses back to the same metric and tags, or is an error.
func FuzzParseSelector(f *testing.F) {
	for _, c := range selectorCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ParseSelector(src)
		if err != nil {
			return
		}
		again, err := ParseSelector(s.String())
		if err != nil || again.Metric != s.Metric || again.Tags.key() != s.Tags.key() {
			t.Fatalf("%q → %q → %+v, %v; want %+v", src, s.String(), again, err, s)
		}
	})
}

// FuzzEvaluate records the samples data encodes (two bytes each: a value
// from 0 to 65.535 and, by parity, a tag) on a trend, a rate, a counter and
// a gauge, then judges expr on each metric that allows it and compares the
// value with a brute-force computation over the same samples: exact for
// count, rate, value, avg, min and max, within the histogram's precision
// for med and p(N).
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 3, 232, 0, 0}, "p(95)<500")
	f.Add([]byte{1, 0, 0, 0, 255, 255}, "rate<0.5")
	f.Add([]byte{0, 7, 0, 9}, "count>=2")
	f.Add([]byte{}, "avg<1")
	f.Add([]byte{9, 9}, "value==2313")
	f.Add([]byte{0, 10, 0, 20, 0, 30, 0, 40}, "med>0")
	f.Fuzz(func(t *testing.T, data []byte, expr string) {
		e, err := ParseExpression(expr)
		if err != nil {
			return
		}
		start := time.Unix(1_700_000_000, 0)
		reg := NewRegistry(start)
		var samples []float64
		for i := 0; i+1 < len(data) && i < 2000; i += 2 {
			v := float64(binary.BigEndian.Uint16(data[i:])) / 1000
			at := start.Add(time.Duration(i) * 3 * time.Millisecond) // all inside the first 6 s
			tag := Tags{"name": []string{"even", "odd"}[data[i+1]%2]}
			for _, m := range []string{HTTPReqDuration, HTTPReqFailed, HTTPReqs, VUs} {
				reg.Metric(m).Series(tag).Add(at, v)
			}
			samples = append(samples, v)
		}
		span := 10 * time.Second
		for _, m := range []string{HTTPReqDuration, HTTPReqFailed, HTTPReqs, VUs} {
			typ := reg.Metric(m).Type
			if e.Aggregation.AllowedFor(typ) != nil {
				continue
			}
			ts, err := ParseThresholds(map[string][]string{m: {expr}}, reg)
			if err != nil {
				t.Fatalf("%s %q: %v", m, expr, err)
			}
			ts.SetRun(start, start.Add(span))
			r := ts.Evaluate(time.Time{}, time.Time{})[0]
			want, defined := reference(e.Aggregation, typ, samples, span)
			if !defined {
				if !r.NoSamples || r.Ok {
					t.Fatalf("%s %q without samples: %+v", m, expr, r)
				}
				continue
			}
			tol := 1e-9 * math.Max(1, math.Abs(want))
			if e.Aggregation.needsHistogram() {
				tol = 1e-3*want + 1e-3 // 3 significant digits, in units of 0.001
			}
			if r.NoSamples || math.Abs(r.Value-want) > tol {
				t.Fatalf("%s %q over %v: value %v (noSamples %v), want %v", m, expr, samples, r.Value, r.NoSamples, want)
			}
			if r.Ok != e.Holds(r.Value) {
				t.Fatalf("%s %q: ok %v for value %v", m, expr, r.Ok, r.Value)
			}
			// a window over the whole run: the same exact values, and
			// percentiles from the per-second histograms within 0.5%
			w := ts.Evaluate(start, start.Add(span))[0]
			wtol := 1e-9 * math.Max(1, math.Abs(want)) // sums add up per second, in another order
			if e.Aggregation.needsHistogram() {
				wtol = 5e-3*want + 1e-9
			}
			if w.NoSamples || math.Abs(w.Value-want) > wtol {
				t.Fatalf("%s %q: window over the whole run %+v, want %v (whole run %+v)", m, expr, w, want, r)
			}
		}
	})
}

// reference computes an aggregation the slow, obvious way.
func reference(g Aggregation, typ Type, samples []float64, span time.Duration) (float64, bool) {
	sum, nonZero := 0.0, 0
	for _, v := range samples {
		sum += v
		if v != 0 {
			nonZero++
		}
	}
	if typ == Counter {
		if g.Method == MethodRate {
			return sum / span.Seconds(), true
		}
		return sum, true
	}
	if len(samples) == 0 {
		return 0, false
	}
	sorted := append([]float64(nil), samples...)
	sort.Float64s(sorted)
	n := float64(len(sorted))
	rank := func(q float64) float64 { // nearest rank, 1-based
		if q <= 0 {
			return sorted[0]
		}
		r := int(math.Ceil(q*n - 1e-9)) // q·n may carry float noise: 0.7·10 = 7.000000000000001
		return sorted[max(r, 1)-1]
	}
	switch g.Method {
	case MethodValue:
		return samples[len(samples)-1], true
	case MethodRate:
		return float64(nonZero) / n, true
	case MethodAvg:
		return sum / n, true
	case MethodMin:
		return sorted[0], true
	case MethodMax:
		return sorted[len(sorted)-1], true
	case MethodMed:
		return rank(0.5), true
	}
	return rank(g.Percentile / 100), true
}

// FuzzParseThresholds checks that any metric selector and expression
// either parses into a set that evaluates, or is a clean error.
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
	// parsing and evaluating only read the registry: one serves every input
	start := time.Unix(0, 0)
	reg := NewRegistry(start)
	reg.Metric(HTTPReqWaiting).Series(Tags{"a": "b"}).Add(start, 12)
	reg.Metric(HTTPReqFailed).Series(nil).Add(start, 1)
	f.Fuzz(func(t *testing.T, name, expr string) {
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
	f.Add(`{"checks": [{"threshold": "rate>0.9", "delayAbortEval": 12, "allowNoSamples": true}]}`)
	reg := NewRegistry(time.Unix(0, 0))
	f.Fuzz(func(t *testing.T, doc string) {
		if ts, err := ParseThresholdsJSON([]byte(doc), reg); err == nil {
			ts.Evaluate(time.Time{}, time.Time{})
			ts.CheckAbort(time.Minute)
		}
	})
}
