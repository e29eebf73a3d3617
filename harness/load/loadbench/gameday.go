package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// runGameday drives url with conns looping VUs (k6's constant-vus, as hey
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

// latencyError drives a server with a fixed 50 ms delay, in the open
// model (200 iterations/s) and the closed one (10 looping VUs), and
// reports how far the measured p50 and p99 are from the nominal delay and
// from the delay the server really applied (it reports it in a header: on
// a loaded machine its sleeps overshoot).
func latencyError(ctx context.Context, conns int, cache string, d time.Duration) error {
	const delay = 50 * time.Millisecond
	srv, err := startServer(ctx, delay)
	if err != nil {
		return err
	}
	defer srv.stop()
	open := load.ConstantArrivalRate{Rate: 200, Duration: d, PreAllocatedVUs: conns, MaxVUs: 4 * conns}
	// the closed model at the open model's rate (10 VUs × 20/s): at 50 VUs
	// the server itself, with a thousand precise sleeps a second on two
	// cores, is what runs late
	closed := load.ConstantVUs{VUs: closedVUs, Duration: d}
	for _, ex := range []load.Executor{open, closed} {
		if err := measureDelay(ctx, srv.url, delay, ex); err != nil {
			return err
		}
	}
	want := float64(delay) / float64(time.Millisecond)
	for _, peer := range latencyPeers(cache) {
		p50, p99, n, err := peer.measure(ctx, srv.url, open.Rate, open.PreAllocatedVUs, open.Duration)
		if err != nil {
			fmt.Printf("latency, %s, %s: error: %v\n", peer.name, peer.model, err)
			continue
		}
		fmt.Printf("latency, %s, %s, fixed %s delay (%d requests): p50 %.2fms (%+.2fms), p99 %.2fms (%+.2fms)\n",
			peer.name, peer.model, delay, n, p50, p50-want, p99, p99-want)
	}
	return nil
}

func measureDelay(ctx context.Context, url string, delay time.Duration, ex load.Executor) error {
	reg := metrics.NewRegistry(time.Now())
	serverTime := reg.MustDefine("server_time", metrics.Trend, metrics.Time)
	exec := func(ctx context.Context, vu *load.VU) error {
		res, err := vu.HTTP.Get(ctx, url, load.DiscardBody())
		if err != nil {
			return err
		}
		ns, _ := strconv.ParseInt(res.Header.Get("X-Server-Time"), 10, 64)
		serverTime.Series(nil).Add(time.Now(), float64(ns)/1e6)
		return nil
	}
	switch e := ex.(type) {
	case load.ConstantArrivalRate:
		e.Exec = exec
		ex = e
	case load.ConstantVUs:
		e.Exec = exec
		ex = e
	}
	res, err := load.RunLoad(ctx, load.Options{Registry: reg, Scenarios: load.Scenarios{"delay": ex}})
	if err != nil {
		return err
	}
	d := reg.Metric(metrics.HTTPReqDuration).Aggregate(nil)
	st := serverTime.Aggregate(nil)
	want := float64(delay) / float64(time.Millisecond)
	p50, p99 := d.Quantile(0.5), d.Quantile(0.99)
	s50, s99 := st.Quantile(0.5), st.Quantile(0.99)
	fmt.Printf("latency, %s, fixed %s delay (%d requests): p50 %.2fms (%+.2fms), p99 %.2fms (%+.2fms); "+
		"vs the server's measured delay (p50 %.2fms, p99 %.2fms): p50 %+.2fms, p99 %+.2fms, max error %.2fms\n",
		ex.Type(), delay, d.Count, p50, p50-want, p99, p99-want, s50, s99, p50-s50, p99-s99,
		math.Max(math.Abs(p50-s50), math.Abs(p99-s99)))
	_ = res
	return nil
}
