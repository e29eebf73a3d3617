package report_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/report"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// slowCatalogRun is a synthetic 60 s run of the slow-catalog incident, built
// inside a synctest bubble so the timeline's clock is the fake one (it
// starts at 2000-01-01 00:00:00 UTC, which keeps golden files stable):
// recommendations at 20 req/s, 100 ms ± 20 ms, 900 ms ± 150 ms while the
// product-catalog delay fault is on [15 s, 35 s), with 10% failures in
// [20 s, 30 s); the adFailure flag on [40 s, 50 s); checkout OOM-killed at
// 44 s and restarted at 46 s; VUs ramping 10 → 20; LCP every 2 s.
func slowCatalogRun(tb testing.TB) *harness.Run {
	tb.Helper()
	t0 := time.Now()
	reg := metrics.NewRegistry(t0)
	rng := rand.New(rand.NewPCG(1, 2))
	rec := metrics.Tags{"name": "recommendations", "method": "GET"}
	add := func(name string, at time.Time, v float64, tags metrics.Tags) {
		if err := reg.Add(name, at, v, tags); err != nil {
			tb.Fatal(err)
		}
	}
	for s := 0; s < 60; s++ {
		slow, failing := s >= 15 && s < 35, s >= 20 && s < 30
		for i := 0; i < 20; i++ {
			at := t0.Add(time.Duration(s)*time.Second + time.Duration(i)*50*time.Millisecond)
			d := 100 + 40*(rng.Float64()-0.5)
			if slow {
				d = 900 + 300*(rng.Float64()-0.5)
			}
			failed := 0.0
			if failing && i%10 == 0 {
				failed = 1
			}
			add(metrics.HTTPReqDuration, at, d, rec)
			add(metrics.HTTPReqFailed, at, failed, rec)
			add(metrics.HTTPReqs, at, 1, rec)
			add(metrics.Checks, at, 1-failed, metrics.Tags{"check": "recommendations shown"})
		}
		add(metrics.VUs, t0.Add(time.Duration(s)*time.Second), float64(10+s/6), nil)
		if s%2 == 0 {
			lcp := 800 + 100*rng.Float64()
			if slow {
				lcp += 1500
			}
			add(metrics.BrowserLCP, t0.Add(time.Duration(s)*time.Second+300*time.Millisecond), lcp, metrics.Tags{"url": "/product"})
		}
	}
	tl := timeline.New(t0)
	sleepUntil := func(d time.Duration) { time.Sleep(time.Until(t0.Add(d))) }
	sleepUntil(15 * time.Second)
	fault := tl.Begin(timeline.FaultInject, "product-catalog", "http: delay 900ms±150ms", map[string]string{"averageDelay": "900ms"})
	sleepUntil(35 * time.Second)
	tl.End(fault, timeline.FaultRevert, nil)
	sleepUntil(40 * time.Second)
	flag := tl.Begin(timeline.FlagSet, "adFailure", "on", nil)
	sleepUntil(44 * time.Second)
	tl.Add(timeline.TargetOOM, "checkout", "oom-killed (20Mi)", nil)
	sleepUntil(46 * time.Second)
	tl.Add(timeline.TargetRestart, "checkout", "restarted", nil)
	sleepUntil(50 * time.Second)
	tl.End(flag, timeline.FlagRestore, nil)
	sleepUntil(60 * time.Second)
	return &harness.Run{
		Name: "slow-catalog", Target: "embedded", Start: t0, End: t0.Add(60 * time.Second),
		Metrics: reg, Timeline: tl,
		Thresholds: []metrics.ThresholdResult{
			{Metric: "http_req_duration{name:recommendations}", Source: "p(95)<500", Ok: false, Value: 1012.5},
			{Metric: "http_req_failed", Source: "rate<0.01", Ok: false, Value: 0.0167},
			{Metric: "checks", Source: "rate>0.95", Ok: true, Value: 0.983},
		},
		Edges: []proxy.Edge{
			{Caller: "client", Callee: "frontend", Requests: 1200, Outcomes: map[string]uint64{"2xx": 1180, "5xx": 20}},
			{Caller: "frontend", Callee: "recommendation", Requests: 1200, Outcomes: map[string]uint64{"2xx": 1180, "5xx": 20}},
			{Caller: "recommendation", Callee: "product-catalog", Requests: 4410, Outcomes: map[string]uint64{"2xx": 3600, "timeout": 810}},
		},
	}
}

// sampleReport has a failing unfixed scenario with a run, a passing fixed
// one with measures, and one that could not run.
func sampleReport(tb testing.TB) report.Report {
	run := slowCatalogRun(tb)
	return report.Report{
		Title: "gameday: slow catalog",
		Scenarios: []report.Scenario{
			{Name: "slow-catalog/unfixed", Verdict: harness.Fail, Run: run,
				Failures: []string{
					"threshold http_req_duration{name:recommendations}: p(95)<500 failed: measured 1012ms; window during product-catalog [15.0s–35.0s]; active: fault.inject product-catalog http: delay 900ms±150ms [15.0s–35.0s]",
					"amplification recommendation->product-catalog is 3.67 (4410 downstream calls for 1200 requests into recommendation), limit 1.5; window whole run [0.0s–60.0s]; active: none",
				},
				Measured: []report.Measure{
					{Name: "amplification recommendation->product-catalog", Value: "3.67", Expected: "≤ 1.5", Failed: true},
					{Name: "p(95) during fault", Value: "1012ms"},
				}},
			{Name: "slow-catalog/fixed", Verdict: harness.Pass,
				Measured: []report.Measure{{Name: "recovery after product-catalog", Value: "2s", Expected: "≤ 10s", Margin: "8s (80%)"}}},
			{Name: "slow-catalog/retries", Verdict: harness.Error, Error: "harness: start product-catalog: listen tcp 127.0.0.1:0: too many open files"},
		},
	}
}
