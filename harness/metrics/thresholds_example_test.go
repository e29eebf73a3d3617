package metrics_test

import (
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Thresholds are parsed and validated before a run, then evaluated over the
// whole run or a window with the same evaluator.
func ExampleParseThresholds() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := metrics.NewRegistry(start)
	failed := reg.Metric(metrics.HTTPReqFailed)
	for i := 0; i < 100; i++ {
		at := start.Add(time.Duration(i) * 100 * time.Millisecond)
		failed.Series(metrics.Tags{"name": "cart"}).Add(at, map[bool]float64{true: 1}[i >= 50 && i < 60])
	}
	ts, err := metrics.ParseThresholds(map[string][]string{"http_req_failed{name:cart}": {"rate<0.05"}}, reg)
	if err != nil {
		panic(err)
	}
	for _, r := range ts.Evaluate(time.Time{}, time.Time{}) {
		fmt.Printf("whole run: %s %s ok=%v value=%.2f\n", r.Metric, r.Source, r.Ok, r.Value)
	}
	for _, r := range ts.Evaluate(start, start.Add(5*time.Second)) {
		fmt.Printf("first 5 s: %s %s ok=%v value=%.2f\n", r.Metric, r.Source, r.Ok, r.Value)
	}
	_, err = metrics.ParseThresholds(map[string][]string{
		"http_req_duration": {"p(95)<<500"}, "http_req_failed": {"p(95)<1"}}, reg)
	fmt.Println(err)
	// Output:
	// whole run: http_req_failed{name:cart} rate<0.05 ok=false value=0.10
	// first 5 s: http_req_failed{name:cart} rate<0.05 ok=true value=0.00
	// threshold "p(95)<<500" on http_req_duration: at byte 5: unknown operator "<<": want one of < <= > >= == === !=
	// threshold "p(95)<1" on http_req_failed: p(95) is not an aggregation of a rate metric (a rate allows rate)
}

// A gauge, rate or trend without samples fails: a gate that passes with
// no traffic is not a gate. A counter without samples counts 0.
func ExampleThresholdSet_Evaluate_noSamples() {
	reg := metrics.NewRegistry(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ts, err := metrics.ParseThresholdConfigs(map[string][]metrics.ThresholdConfig{
		"http_req_duration{name:checkout}": {{Threshold: "p(95)<500"}},
		"http_req_failed{name:fallback}":   {{Threshold: "rate<0.01", AllowNoSamples: true}},
		"browser_errors":                   {{Threshold: "count<1"}},
	}, reg)
	if err != nil {
		panic(err)
	}
	for _, r := range ts.Evaluate(time.Time{}, time.Time{}) {
		fmt.Println(r)
	}
	// Output:
	// browser_errors count<1: passed, measured 0
	// http_req_duration{name:checkout} p(95)<500: failed, no samples
	// http_req_failed{name:fallback} rate<0.01: passed, no samples
}
