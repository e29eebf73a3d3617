package load

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// run runs opts to the end inside a synctest bubble's fake clock.
func runFake(t *testing.T, opts Options) *Result {
	t.Helper()
	res, err := RunLoad(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sleepExec(d time.Duration) Exec {
	return func(ctx context.Context, vu *VU) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func count(res *Result, name string, filter metrics.Tags) float64 {
	return res.Registry.Metric(name).Aggregate(filter).Sum
}

func TestConstantVUsIterations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"c": ConstantVUs{VUs: 5, Duration: 10 * time.Second,
			Exec: sleepExec(999 * time.Millisecond)}}})
		// each VU starts iterations at k*0.999s for k = 0..10
		if got := count(res, metrics.Iterations, nil); got != 55 {
			t.Fatalf("iterations = %v, want 55", got)
		}
		if got := res.Registry.Metric(metrics.VUsMax).Aggregate(nil).Max; got != 5 {
			t.Fatalf("vus_max = %v", got)
		}
		if d := res.End.Sub(res.Start); d < 10*time.Second || d > 11*time.Second {
			t.Fatalf("run lasted %s", d)
		}
	})
}

func TestSharedAndPerVUIterations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		perVU := map[uint64]int{}
		res := runFake(t, Options{Scenarios: Scenarios{
			"shared": SharedIterations{VUs: 4, Iterations: 100, Exec: sleepExec(10 * time.Millisecond)},
			"per": PerVUIterations{VUs: 3, Iterations: 7, Exec: func(ctx context.Context, vu *VU) error {
				mu.Lock()
				perVU[vu.ID]++
				mu.Unlock()
				return nil
			}},
		}})
		if got := count(res, metrics.Iterations, metrics.Tags{"scenario": "shared"}); got != 100 {
			t.Errorf("shared iterations = %v, want 100", got)
		}
		if got := count(res, metrics.Iterations, metrics.Tags{"scenario": "per"}); got != 21 {
			t.Errorf("per-vu iterations = %v, want 21", got)
		}
		if len(perVU) != 3 {
			t.Fatalf("per-vu VUs: %v", perVU)
		}
		for id, n := range perVU {
			if n != 7 {
				t.Errorf("vu %d ran %d iterations, want 7", id, n)
			}
		}
	})
}

func TestSharedIterationsMaxDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"s": SharedIterations{VUs: 2, Iterations: 1000,
			MaxDuration: 5 * time.Second, Exec: sleepExec(1010 * time.Millisecond)}}})
		if got := count(res, metrics.Iterations, nil); got != 10 {
			t.Fatalf("iterations = %v, want 10 (2 VUs × 5 s)", got)
		}
	})
}

// TestRampingVUsShape samples the number of VUs inside an iteration in the
// middle of each step of a 0→10→10→0 ramp.
func TestRampingVUsShape(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var busy atomic.Int64
		exec := func(ctx context.Context, vu *VU) error {
			busy.Add(1)
			defer busy.Add(-1)
			return sleepExec(100*time.Millisecond)(ctx, vu)
		}
		r, err := Start(context.Background(), Options{Scenarios: Scenarios{"ramp": RampingVUs{
			Stages: []Stage{{10 * time.Second, 10}, {10 * time.Second, 10}, {10 * time.Second, 0}}, Exec: exec}}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[float64]int64{0.5: 0, 1.5: 1, 5.5: 5, 9.5: 9, 12.5: 10, 19.5: 10, 20.5: 10, 21.5: 9, 25.5: 5, 29.5: 1}
		start := time.Now()
		for _, at := range []float64{0.5, 1.5, 5.5, 9.5, 12.5, 19.5, 20.5, 21.5, 25.5, 29.5} {
			time.Sleep(start.Add(time.Duration(at*float64(time.Second))).Sub(time.Now()) + 50*time.Millisecond)
			if got := busy.Load(); got != want[at] {
				t.Errorf("at %.1fs: %d VUs busy, want %d", at, got, want[at])
			}
		}
		res, _ := r.Wait()
		if got := res.Registry.Metric(metrics.VUsMax).Aggregate(nil).Max; got != 10 {
			t.Errorf("vus_max = %v", got)
		}
		// 10 VUs × 10 s full plateau + two triangular ramps ≈ 200 VU·s at 10 iterations/s
		if got := count(res, metrics.Iterations, nil); math.Abs(got-2000) > 0.02*2000 {
			t.Errorf("iterations = %v, want 2000±2%%", got)
		}
	})
}

func TestRampingVUsGracefulRampDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"ramp": RampingVUs{StartVUs: 2,
			Stages:           []Stage{{0, 2}, {time.Second, 2}, {0, 0}, {5 * time.Second, 0}},
			GracefulRampDown: 500 * time.Millisecond, Exec: sleepExec(3 * time.Second)}}})
		// both VUs start a 3 s iteration at 0; ramped down at 1 s, they are cut at 1.5 s
		if got := count(res, InterruptedIterations, metrics.Tags{"cause": "stop"}); got != 2 {
			t.Fatalf("interrupted = %v, want 2", got)
		}
		if got := count(res, metrics.Iterations, nil); got != 0 {
			t.Fatalf("iterations = %v, want 0", got)
		}
	})
}

func TestConstantArrivalRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var due []time.Time
		res := runFake(t, Options{Scenarios: Scenarios{"car": ConstantArrivalRate{Rate: 50, Duration: 10 * time.Second,
			PreAllocatedVUs: 2, MaxVUs: 10, Exec: func(ctx context.Context, vu *VU) error {
				mu.Lock()
				due = append(due, vu.ScheduledAt)
				mu.Unlock()
				return sleepExec(30*time.Millisecond)(ctx, vu)
			}}}})
		if got := count(res, metrics.Iterations, nil); got != 500 {
			t.Fatalf("iterations = %v, want 500", got)
		}
		if got := count(res, metrics.DroppedIterations, nil); got != 0 {
			t.Fatalf("dropped = %v", got)
		}
		if got := res.Registry.Metric(metrics.VUsMax).Aggregate(nil).Max; got != 2 {
			t.Fatalf("vus_max = %v, want 2 (30 ms iterations every 20 ms)", got)
		}
		for i := 1; i < len(due); i++ {
			if d := due[i].Sub(due[i-1]); d != 20*time.Millisecond {
				t.Fatalf("iterations %d and %d due %s apart", i-1, i, d)
			}
		}
	})
}

func TestArrivalRateDropsWhenVUsRunOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"car": ConstantArrivalRate{Rate: 10, Duration: 5 * time.Second,
			PreAllocatedVUs: 2, Exec: sleepExec(950 * time.Millisecond)}}})
		if got := count(res, metrics.Iterations, nil); got != 10 {
			t.Errorf("iterations = %v, want 10", got)
		}
		if got := count(res, metrics.DroppedIterations, metrics.Tags{"scenario": "car"}); got != 40 {
			t.Errorf("dropped = %v, want 40", got)
		}
	})
}

func TestRampingArrivalRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := runFake(t, Options{Scenarios: Scenarios{"rar": RampingArrivalRate{
			Stages:          []Stage{{10 * time.Second, 100}, {5 * time.Second, 100}},
			PreAllocatedVUs: 5, MaxVUs: 50, Exec: sleepExec(10 * time.Millisecond)}}})
		// ∫ rate = 10 s × 100/2 + 5 s × 100 = 1000
		if got := count(res, metrics.Iterations, nil); math.Abs(got-1000) > 20 {
			t.Fatalf("iterations = %v, want 1000±2%%", got)
		}
		perSecond := res.Registry.Metric(metrics.Iterations).Seconds(nil)
		for s := 1; s < 9; s++ {
			want := float64(10*s + 5) // the rate in the middle of second s
			if got := perSecond[s].Sum; math.Abs(got-want) > math.Max(0.02*want, 1) {
				t.Errorf("second %d: %v iterations, want %v", s, got, want)
			}
		}
	})
}

func TestArrivalsIntegral(t *testing.T) {
	r := RampingArrivalRate{StartRate: 30, TimeUnit: time.Minute,
		Stages: []Stage{{time.Minute, 90}, {0, 10}, {time.Minute, 10}, {time.Minute, 0}}}
	a := r.arrivals()
	n := 0
	last := time.Duration(-1)
	for {
		off, ok := a.next()
		if !ok {
			break
		}
		if off < last {
			t.Fatalf("offsets go back: %s after %s", off, last)
		}
		last = off
		n++
	}
	// (30+90)/2 + 10 + 10/2 = 75 iterations, the first at 0
	if n != 75 {
		t.Fatalf("%d arrivals, want 75", n)
	}
}

func TestStartTimeAndTags(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var first time.Time
		begin := time.Now()
		res := runFake(t, Options{Scenarios: Scenarios{"late": PerVUIterations{
			Base: Base{StartTime: 3 * time.Second, Tags: metrics.Tags{"team": "shop"}},
			Exec: func(ctx context.Context, vu *VU) error { first = time.Now(); return nil }}}})
		if d := first.Sub(begin); d != 3*time.Second {
			t.Fatalf("started after %s, want 3s", d)
		}
		if got := count(res, metrics.Iterations, metrics.Tags{"team": "shop", "scenario": "late"}); got != 1 {
			t.Fatalf("tagged iterations = %v", got)
		}
	})
}
