package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// runGameday drives url with conns looping VUs (k6's constant-vus, as k6
// and wrk are driven: closed model, as fast as possible).
func runGameday(ctx context.Context, url string, conns int, d time.Duration) result {
	if profilePath != "" {
		f, err := os.Create(profilePath)
		if err != nil {
			return result{err: err}
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{err: err}
		}
		defer pprof.StopCPUProfile()
	}
	res, err := load.RunLoad(ctx, load.Options{
		MaxInFlight: conns,
		Scenarios: load.Scenarios{"bench": load.ConstantVUs{VUs: conns, Duration: d,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, url, load.DiscardBody())
				return err
			}}},
	})
	if err != nil {
		return result{err: err}
	}
	return fromRegistry(res)
}

func fromRegistry(res *load.Result) result {
	reg := res.Registry
	reqs := reg.Metric(metrics.HTTPReqs).Aggregate(nil).Sum
	dur := reg.Metric(metrics.HTTPReqDuration).Aggregate(nil)
	failed := reg.Metric(metrics.HTTPReqFailed).Aggregate(nil)
	secs := res.End.Sub(res.Start).Seconds()
	return result{
		rps:  reqs / secs,
		p95:  msDur(dur.Quantile(0.95)),
		p99:  msDur(dur.Quantile(0.99)),
		note: fmt.Sprintf("(%.0f requests, %.2f%% failed)", reqs, 100*failed.Rate()),
	}
}

func msDur(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

// idleVUMemory starts n VUs that sleep through their only iteration and
// returns the heap and stack growth per VU.
func idleVUMemory(ctx context.Context, n int) (float64, error) {
	before := memInUse()
	started := make(chan struct{}, n)
	run, err := load.Start(ctx, load.Options{Scenarios: load.Scenarios{"idle": load.PerVUIterations{VUs: n,
		Exec: func(ctx context.Context, vu *load.VU) error {
			started <- struct{}{}
			select {
			case <-ctx.Done():
			case <-time.After(time.Minute):
			}
			return nil
		}}}})
	if err != nil {
		return 0, err
	}
	for range n {
		<-started
	}
	after := memInUse()
	run.Stop()
	// the iterations wait on their own ctx, cancelled after the graceful stop: cut it short
	go func() { time.Sleep(100 * time.Millisecond); run.Stop() }()
	_ = after
	return float64(after-before) / float64(n), nil
}

func memInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

// latencyError drives a server with a fixed 50 ms delay and reports how far
// the measured p50 and p99 are from it.
func latencyError(ctx context.Context, conns int) error {
	const delay = 50 * time.Millisecond
	srv, err := startServer(ctx, delay)
	if err != nil {
		return err
	}
	defer srv.stop()
	res, err := load.RunLoad(ctx, load.Options{Scenarios: load.Scenarios{"delay": load.ConstantArrivalRate{
		Rate: 200, Duration: 3 * time.Second, PreAllocatedVUs: conns, MaxVUs: 4 * conns,
		Exec: func(ctx context.Context, vu *load.VU) error {
			_, err := vu.HTTP.Get(ctx, srv.url, load.DiscardBody())
			return err
		}}}})
	if err != nil {
		return err
	}
	d := res.Registry.Metric(metrics.HTTPReqDuration).Aggregate(nil)
	want := float64(delay) / float64(time.Millisecond)
	p50, p99 := d.Quantile(0.5), d.Quantile(0.99)
	fmt.Printf("latency vs fixed %s delay (%d requests at 200/s): p50 %.2fms (error %+.2fms), p99 %.2fms (error %+.2fms), max error %.2fms\n",
		delay, d.Count, p50, p50-want, p99, p99-want, math.Max(math.Abs(p50-want), math.Abs(p99-want)))
	return nil
}
