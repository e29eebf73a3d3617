package metrics

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"
	"time"
)

// thousandExpressions is a threshold spec of 1,000 expressions over 100
// sub-metrics of each kind, the size of a large catalogue's gates.
func thousandExpressions() map[string][]string {
	spec := map[string][]string{}
	for i := range 100 {
		spec[fmt.Sprintf("http_req_duration{name:endpoint%d}", i)] = []string{
			"p(95)<500", "p(99.9) < 1500", "avg<200", "med<100", "max<3000", "min>=0"}
		spec[fmt.Sprintf("http_req_failed{name:endpoint%d,method:GET}", i)] = []string{"rate<0.01"}
		spec[fmt.Sprintf("http_reqs{name:endpoint%d}", i)] = []string{"count>100", "rate>=10"}
		spec[fmt.Sprintf("vus{scenario:s%d}", i)] = []string{"value<100"}
	}
	return spec
}

// BenchmarkParseThresholds1000 parses and validates 1,000 expressions
// against a registry (goal: under 10 ms per op).
func BenchmarkParseThresholds1000(b *testing.B) {
	reg := NewRegistry(time.Unix(0, 0))
	spec := thousandExpressions()
	b.ReportAllocs()
	for b.Loop() {
		ts, err := ParseThresholds(spec, reg)
		if err != nil || ts.Len() != 1000 {
			b.Fatal(ts.Len(), err)
		}
	}
}

// samplesRegistry records n http_req_duration and http_req_failed samples
// over 10 tag sets and 60 seconds.
func samplesRegistry(n int) (*Registry, time.Time) {
	start := time.Unix(1_700_000_000, 0)
	reg := NewRegistry(start)
	r := rand.New(rand.NewSource(int64(n)))
	dur, failed := reg.Metric(HTTPReqDuration), reg.Metric(HTTPReqFailed)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Minute / time.Duration(n))
		tags := Tags{"name": fmt.Sprintf("e%d", i%10)}
		dur.Series(tags).Add(at, 1+r.ExpFloat64()*50)
		failed.Series(tags).Add(at, float64(r.Intn(100)/99))
	}
	return reg, start
}

// BenchmarkEvaluate evaluates the same thresholds over registries holding
// 1e3 to 1e6 samples, whole run and a 30 s window: bytes and allocations
// per op stay flat, the memory does not grow with the samples.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		reg, start := samplesRegistry(n)
		ts, err := ParseThresholds(map[string][]string{
			"http_req_duration":          {"p(95)<500", "avg<100"},
			"http_req_duration{name:e1}": {"p(99)<800"},
			"http_req_failed":            {"rate<0.05"},
		}, reg)
		if err != nil {
			b.Fatal(err)
		}
		ts.SetRun(start, start.Add(time.Minute))
		b.Run(fmt.Sprintf("whole_run/samples=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ts.Evaluate(time.Time{}, time.Time{})
			}
		})
		b.Run(fmt.Sprintf("window_30s/samples=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ts.Evaluate(start.Add(30*time.Second), start.Add(time.Minute))
			}
		})
	}
}

// bytesPerEval is the heap allocated by one call of eval, averaged over runs.
func bytesPerEval(runs int, eval func()) uint64 {
	eval() // the first evaluation allocates the scratch histograms
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		eval()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

// TestEvaluateMemoryDoesNotGrowWithSamples is the benchmark's claim as a
// test: a hundred times more samples, the same small allocation per
// evaluation (the sources' histograms are reused, windows merge at most
// one sparse bucket per value range).
func TestEvaluateMemoryDoesNotGrowWithSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: records 200,000 samples")
	}
	var whole, window [2]uint64
	for i, n := range []int{1_000, 100_000} {
		reg, start := samplesRegistry(n)
		ts, err := ParseThresholds(map[string][]string{
			"http_req_duration": {"p(95)<500", "avg<100"}, "http_req_failed": {"rate<0.05"}}, reg)
		if err != nil {
			t.Fatal(err)
		}
		whole[i] = bytesPerEval(20, func() { ts.Evaluate(time.Time{}, time.Time{}) })
		window[i] = bytesPerEval(20, func() { ts.Evaluate(start.Add(30*time.Second), start.Add(time.Minute)) })
	}
	t.Logf("bytes per evaluation, 1e3 vs 1e5 samples: whole run %d vs %d, 30 s window %d vs %d",
		whole[0], whole[1], window[0], window[1])
	if whole[1] > 16<<10 || whole[1] > 2*whole[0]+4<<10 {
		t.Errorf("whole-run evaluation allocates %d bytes with 1e5 samples, %d with 1e3", whole[1], whole[0])
	}
	if window[1] > 128<<10 {
		t.Errorf("window evaluation allocates %d bytes with 1e5 samples (1e3: %d)", window[1], window[0])
	}
}
