package slo_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/internal/fixedhttp"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// benchRate is the load: live evaluation must cost under 2% of
// the load engine's work at 20k requests per second.
const benchRate = 20000

// BenchmarkLiveEvaluationCost compares, in one run, what one second of
// live evaluation costs (one tick of an availability and a latency
// objective from the load's metrics plus live thresholds, over a registry a
// 20k req/s load filled) with what one second of that load costs the load
// engine (its CPU time per request × 20000; the HTTP server runs in a child
// process so it is not counted). It reports both and their ratio.
func BenchmarkLiveEvaluationCost(b *testing.B) {
	benchLoadOnce.Do(func() { benchLoad = runBenchLoad(b) })
	bl := benchLoad
	if bl.err != nil {
		b.Fatal(bl.err)
	}
	reg, d, reqs := bl.reg, bl.d, bl.reqs
	loadPerSec := time.Duration(float64(bl.cpu) / reqs * benchRate)

	secs := int(d/time.Second) + 1
	newChecks := func() []slo.Check {
		avail, err := slo.FromMetrics(reg, slo.Selector{Filter: metrics.Tags{"name": "bench"}})
		if err != nil {
			b.Fatal(err)
		}
		lat, err := slo.FromMetrics(reg, slo.Selector{Metric: metrics.HTTPReqDuration, Latency: 50 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		th, err := slo.Thresholds(reg, map[string][]string{"http_req_failed": {"rate<0.01"}, "http_req_duration": {"p(95)<500"}})
		if err != nil {
			b.Fatal(err)
		}
		var out []slo.Check
		for _, src := range []slo.Source{avail, lat} {
			c, err := slo.NewBurnCheck(slo.Objective{Source: src, Target: 0.999, Span: time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, c)
		}
		return append(out, th)
	}
	ctx := context.Background()
	b.ResetTimer()
	start := cpuTime()
	var checks []slo.Check
	for i := range b.N {
		k := i % (secs + 1)
		if k == 0 {
			checks = newChecks()
		}
		now := reg.Start().Add(time.Duration(k) * time.Second)
		for _, c := range checks {
			c.Eval(ctx, now)
		}
	}
	tick := time.Duration(int64(cpuTime()-start) / int64(b.N))
	b.StopTimer()
	b.ReportMetric(float64(tick.Microseconds()), "µs-cpu/tick")
	b.ReportMetric(reqs/d.Seconds(), "req/s-achieved")
	b.ReportMetric(float64(loadPerSec.Milliseconds()), "ms-cpu/s-load@20k")
	b.ReportMetric(100*float64(tick)/float64(loadPerSec), "%-of-load")
}

// benchLoad is the load the benchmark measures, run once per process (the
// benchmark function itself is called several times).
var (
	benchLoadOnce sync.Once
	benchLoad     benchLoadResult
)

type benchLoadResult struct {
	reg  *metrics.Registry
	d    time.Duration
	reqs float64
	cpu  time.Duration
	err  error
}

func runBenchLoad(b *testing.B) benchLoadResult {
	url := childServer(b)
	out := benchLoadResult{reg: metrics.NewRegistry(time.Now()), d: 3 * time.Second}
	before := cpuTime()
	res, err := load.RunLoad(context.Background(), load.Options{Registry: out.reg, MaxInFlight: 2000, Scenarios: load.Scenarios{
		"b": load.ConstantArrivalRate{Rate: benchRate, TimeUnit: time.Second, Duration: out.d, PreAllocatedVUs: 200, MaxVUs: 2000,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, url, load.Name("bench"), load.DiscardBody())
				return err
			}}}})
	out.cpu = cpuTime() - before
	if err != nil {
		out.err = err
		return out
	}
	out.reqs = res.Registry.Metric(metrics.HTTPReqs).Aggregate(nil).Sum
	if out.reqs == 0 {
		out.err = fmt.Errorf("the load sent no requests")
	}
	return out
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childServer starts TestBenchServer in a child process and returns its URL.
func childServer(tb testing.TB) string {
	tb.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GAMEDAY_SLO_BENCH_SERVER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		tb.Fatalf("bench server: %v", err)
	}
	return strings.TrimSpace(line)
}

// TestMain makes the test binary the benchmark's HTTP server when run as
// its child (GAMEDAY_SLO_BENCH_SERVER=1).
func TestMain(m *testing.M) {
	if os.Getenv("GAMEDAY_SLO_BENCH_SERVER") == "1" {
		benchServer()
		return
	}
	os.Exit(m.Run())
}

// benchServer gives a fixed answer to every request, parsing as little as
// possible, for at most a minute; it prints its URL first.
func benchServer() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s/bench\n", ln.Addr())
	time.AfterFunc(time.Minute, func() { ln.Close() })
	fixedhttp.Serve(ln)
}
