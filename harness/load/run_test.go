package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

func TestCancelStopsWithinGracefulStop(t *testing.T) {
	for _, tc := range []struct {
		name           string
		grace          time.Duration
		iters, stopped float64
		wantEnd        time.Duration
	}{
		{"graceful", 0, 40, 0, 4 * time.Second},                          // running iterations finish at 4 s
		{"cut", 100 * time.Millisecond, 30, 10, 3600 * time.Millisecond}, // interrupted at 3.6 s
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(3500*time.Millisecond, cancel)
				res, err := RunLoad(ctx, Options{Scenarios: Scenarios{"c": ConstantVUs{VUs: 10, Duration: time.Minute,
					Base: Base{GracefulStop: tc.grace}, Exec: sleepExec(time.Second)}}})
				if err != nil {
					t.Fatal(err)
				}
				if got := res.End.Sub(res.Start); got != tc.wantEnd {
					t.Errorf("ended after %s, want %s", got, tc.wantEnd)
				}
				if !res.Aborted || !strings.Contains(res.AbortReason, "context") {
					t.Errorf("aborted=%v reason=%q", res.Aborted, res.AbortReason)
				}
				if got := count(res, metrics.Iterations, nil); got != tc.iters {
					t.Errorf("iterations = %v, want %v", got, tc.iters)
				}
				if got := count(res, InterruptedIterations, metrics.Tags{"cause": "stop"}); got != tc.stopped {
					t.Errorf("interrupted = %v, want %v", got, tc.stopped)
				}
			})
		})
	}
}

func TestAbortOnFail(t *testing.T) {
	for _, tc := range []struct {
		delay   time.Duration
		wantEnd time.Duration
	}{{0, 1200 * time.Millisecond}, {3 * time.Second, 4200 * time.Millisecond}} {
		synctest.Test(t, func(t *testing.T) {
			tl := timeline.New(time.Now())
			res, err := RunLoad(context.Background(), Options{
				Timeline: tl,
				Scenarios: Scenarios{"c": ConstantVUs{Duration: time.Minute, Exec: func(ctx context.Context, vu *VU) error {
					vu.Check("always fails", false)
					return sleepExec(300*time.Millisecond)(ctx, vu)
				}}},
				ThresholdConfigs: map[string][]metrics.ThresholdConfig{
					metrics.Checks: {{Threshold: "rate>0.5", AbortOnFail: true, DelayAbortEval: tc.delay}}},
				Thresholds: map[string][]string{metrics.Iterations: {"count>0"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.End.Sub(res.Start); got != tc.wantEnd {
				t.Errorf("delay %s: ended after %s, want %s", tc.delay, got, tc.wantEnd)
			}
			if !res.Aborted || !strings.Contains(res.AbortReason, "checks rate>0.5") {
				t.Errorf("aborted=%v reason=%q", res.Aborted, res.AbortReason)
			}
			byMetric := map[string]metrics.ThresholdResult{}
			for _, r := range res.Thresholds {
				byMetric[r.Metric] = r
			}
			if r := byMetric[metrics.Checks]; r.Ok || !r.Aborted || r.Value != 0 {
				t.Errorf("checks threshold: %+v", r)
			}
			if r := byMetric[metrics.Iterations]; !r.Ok || r.Aborted {
				t.Errorf("iterations threshold: %+v", r)
			}
			var phases, aborts int
			for _, ev := range tl.Events() {
				if ev.Kind == timeline.Phase && ev.Target == "c" {
					phases++
				}
				if ev.Name == "load aborted" {
					aborts++
				}
			}
			if phases != 2 || aborts != 1 {
				t.Errorf("timeline: %d scenario events, %d aborts: %+v", phases, aborts, tl.Events())
			}
		})
	}
}

func TestStopTwiceAndWaitTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, err := Start(context.Background(), Options{Scenarios: Scenarios{"c": ConstantVUs{Duration: time.Hour / 12,
			Exec: sleepExec(time.Second)}}})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(2500 * time.Millisecond)
		r.Stop()
		r.Stop()
		res1, _ := r.Wait()
		res2, _ := r.Wait()
		r.Stop()
		if res1 != res2 || !res1.Aborted || res1.AbortReason != "stopped" {
			t.Fatalf("results %p %p %+v", res1, res2, res1)
		}
		if d := res1.End.Sub(res1.Start); d != 3*time.Second {
			t.Fatalf("ended after %s", d)
		}
	})
}

func TestMaxDurationBoundsTheRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{MaxDuration: 2 * time.Second, Scenarios: Scenarios{
			"s": SharedIterations{Iterations: 1000, Exec: sleepExec(300 * time.Millisecond)}}})
		if d := res.End.Sub(res.Start); d != 2*time.Second {
			t.Fatalf("ran %s, want 2s", d)
		}
	})
}

func TestStartValidatesBeforeTraffic(t *testing.T) {
	ran := false
	exec := func(ctx context.Context, vu *VU) error { ran = true; return nil }
	cases := map[string]Options{
		"no scenarios":      {},
		"no exec":           {Scenarios: Scenarios{"a": ConstantVUs{Duration: time.Second}}},
		"no duration":       {Scenarios: Scenarios{"a": ConstantVUs{Exec: exec}}},
		"bad threshold":     {Scenarios: Scenarios{"a": ConstantVUs{Duration: time.Second, Exec: exec}}, Thresholds: map[string][]string{"http_req_duration": {"p(95)<<1"}}},
		"unknown metric":    {Scenarios: Scenarios{"a": ConstantVUs{Duration: time.Second, Exec: exec}}, Thresholds: map[string][]string{"nope": {"count>1"}}},
		"too long":          {MaxDuration: time.Second, Scenarios: Scenarios{"a": ConstantVUs{Duration: 2 * time.Second, Exec: exec}}},
		"iterations < vus":  {Scenarios: Scenarios{"a": SharedIterations{VUs: 5, Iterations: 2, Exec: exec}}},
		"maxVUs < pre":      {Scenarios: Scenarios{"a": ConstantArrivalRate{Rate: 1, Duration: time.Second, PreAllocatedVUs: 5, MaxVUs: 2, Exec: exec}}},
		"no stages":         {Scenarios: Scenarios{"a": RampingArrivalRate{PreAllocatedVUs: 1, Exec: exec}}},
		"negative grace":    {Scenarios: Scenarios{"a": ConstantVUs{Duration: time.Second, Exec: exec, Base: Base{GracefulStop: -5}}}},
		"ramping all zero":  {Scenarios: Scenarios{"a": RampingVUs{Stages: []Stage{{time.Second, 0}}, Exec: exec}}},
		"negative inflight": {MaxInFlight: -1, Scenarios: Scenarios{"a": ConstantVUs{Duration: time.Second, Exec: exec}}},
	}
	for name, opts := range cases {
		if _, err := Start(context.Background(), opts); err == nil {
			t.Errorf("%s: Start accepted it", name)
		}
	}
	if ran {
		t.Fatal("an exec ran although Start failed")
	}
}

func TestIterationErrorsAndPanicsAreCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"p": PerVUIterations{Iterations: 3, Exec: func(ctx context.Context, vu *VU) error {
			switch vu.Iteration {
			case 0:
				panic("boom")
			case 1:
				return context.DeadlineExceeded
			}
			return nil
		}}}})
		if got := count(res, metrics.Iterations, nil); got != 3 {
			t.Errorf("iterations = %v", got)
		}
		if got := count(res, InterruptedIterations, metrics.Tags{"cause": "error"}); got != 2 {
			t.Errorf("failed iterations = %v, want 2", got)
		}
	})
}

func TestSummaries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{
			Scenarios: Scenarios{"p": PerVUIterations{Iterations: 4, Exec: func(ctx context.Context, vu *VU) error {
				vu.Group("cart", func() { vu.Check("has items", vu.Iteration%2 == 0) })
				vu.Check("top", true)
				time.Sleep(10 * time.Millisecond)
				return nil
			}}},
			Thresholds: map[string][]string{"checks{check:top}": {"rate==1"}, "iteration_duration": {"p(95)<5"}},
		})
		var buf bytes.Buffer
		if err := WriteSummary(&buf, res); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"✓ 'rate==1' rate=1", "✗ 'p(95)<5' p(95)=10ms", "iterations", "checks",
			"avg=10ms min=10ms med=10ms max=10ms p(90)=10ms p(95)=10ms", "{check:top}", "75.00% 6 out of 8"} {
			if !strings.Contains(out, want) {
				t.Errorf("summary lacks %q:\n%s", want, out)
			}
		}
		raw, err := SummaryJSON(res)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			RootGroup struct {
				Checks []struct {
					Name          string
					Passes, Fails int
				}
				Groups []struct {
					Name, Path string
					Checks     []struct {
						Name          string
						Passes, Fails int
					}
				}
			} `json:"root_group"`
			Metrics map[string]struct {
				Type, Contains string
				Values         map[string]float64
				Thresholds     map[string]struct{ Ok bool }
			}
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.RootGroup.Groups) != 1 || doc.RootGroup.Groups[0].Path != "::cart" ||
			doc.RootGroup.Groups[0].Checks[0].Passes != 2 || doc.RootGroup.Groups[0].Checks[0].Fails != 2 {
			t.Errorf("groups: %+v", doc.RootGroup)
		}
		it := doc.Metrics["iteration_duration"]
		if it.Type != "trend" || it.Contains != "time" || it.Values["p(95)"] != 10 || it.Thresholds["p(95)<5"].Ok {
			t.Errorf("iteration_duration: %+v", it)
		}
		if c := doc.Metrics["checks{check:top}"]; c.Values["rate"] != 1 || !c.Thresholds["rate==1"].Ok {
			t.Errorf("checks submetric: %+v", c)
		}
		if c := doc.Metrics["iterations"]; c.Type != "counter" || c.Values["count"] != 4 {
			t.Errorf("iterations: %+v", c)
		}
	})
}

func TestProgressLines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		runFake(t, Options{Progress: &buf, Scenarios: Scenarios{"c": ConstantVUs{VUs: 3, Duration: 3500 * time.Millisecond,
			Exec: sleepExec(100 * time.Millisecond)}}})
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d progress lines, want 3 (one per second):\n%s", len(lines), buf.String())
		}
		if !strings.Contains(lines[1], "vus 3/3") || !strings.Contains(lines[1], "running    2.0s") {
			t.Fatalf("second line: %q", lines[1])
		}
	})
}

func TestVUDataAndOnClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var closed []string
		var mu sync.Mutex
		runFake(t, Options{Scenarios: Scenarios{
			"loop": PerVUIterations{VUs: 2, Iterations: 3, Exec: func(ctx context.Context, vu *VU) error {
				if vu.Data == nil {
					vu.Data = new(int)
					vu.OnClose(func() {
						mu.Lock()
						closed = append(closed, fmt.Sprintf("%s/%d:%d", vu.Scenario, vu.IDInScenario, *vu.Data.(*int)))
						mu.Unlock()
					})
				}
				*vu.Data.(*int)++
				return nil
			}},
			"open": ConstantArrivalRate{Rate: 2, Duration: 2 * time.Second, PreAllocatedVUs: 1, Exec: func(ctx context.Context, vu *VU) error {
				if vu.Data == nil {
					vu.Data = true
					vu.OnClose(func() { mu.Lock(); closed = append(closed, "open"); mu.Unlock() })
				}
				return nil
			}},
		}})
		sort.Strings(closed)
		if fmt.Sprint(closed) != "[loop/1:3 loop/2:3 open]" {
			t.Fatalf("closed: %v", closed)
		}
	})
}
