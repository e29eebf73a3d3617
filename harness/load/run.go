package load

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Result is a finished run.
type Result struct {
	Start, End  time.Time
	Registry    *metrics.Registry
	Thresholds  []metrics.ThresholdResult
	Aborted     bool   // an abortOnFail threshold, Stop or the context ended it early
	AbortReason string // why, when Aborted
	// Scenarios maps each scenario name to its executor type.
	Scenarios map[string]string
}

// Passed reports whether every threshold passed.
func (r *Result) Passed() bool {
	for _, t := range r.Thresholds {
		if !t.Ok {
			return false
		}
	}
	return true
}

// engine is what every scenario of a run shares.
type engine struct {
	reg       *metrics.Registry
	client    *http.Client
	transport *http.Transport
	guard     *guard
	inflight  chan struct{}
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	noLean    bool
	vuIDs     atomic.Uint64
	active    atomic.Int64
	vusMax    atomic.Int64
}

// Run is a load run in progress.
type Run struct {
	opts Options
	eng  *engine
	ts   *metrics.ThresholdSet

	start      time.Time
	stopSoft   context.CancelFunc
	cancelHard context.CancelFunc
	done       chan struct{}

	mu          sync.Mutex
	abortReason string
	fired       []metrics.ThresholdResult
	result      *Result
}

// RunLoad is Start then Wait.
func RunLoad(ctx context.Context, opts Options) (*Result, error) {
	r, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	return r.Wait()
}

// Start validates everything (options, executors, thresholds against the
// registry) and starts the run. Cancelling ctx stops the run like Stop.
func Start(ctx context.Context, opts Options) (*Run, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	opts = opts.withDefaults()
	start := time.Now()
	reg := opts.Registry
	if reg == nil {
		reg = metrics.NewRegistry(start)
	}
	if _, err := reg.Define(InterruptedIterations, metrics.Counter, metrics.Default); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	ts, err := opts.thresholds(reg)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	eng := newEngine(reg, opts)
	runHard, cancelHard := context.WithDeadline(context.WithoutCancel(ctx), start.Add(opts.MaxDuration))
	runSoft, stopSoft := context.WithCancel(runHard)
	r := &Run{opts: opts, eng: eng, ts: ts, start: start, stopSoft: stopSoft, cancelHard: cancelHard,
		done: make(chan struct{})}
	go func() {
		select {
		case <-ctx.Done():
			r.stop("context: " + context.Cause(ctx).Error())
		case <-r.done:
		}
	}()
	go r.run(runSoft, runHard)
	return r, nil
}

func newEngine(reg *metrics.Registry, opts Options) *engine {
	g := newGuard(opts.AllowHosts)
	tr := &http.Transport{
		Proxy:               nil, // never through a proxy: traffic stays where the guard allows
		DialContext:         g.dialer(&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}),
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: opts.MaxInFlight,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	// Client.Do follows redirects itself, recording each hop
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return &engine{reg: reg, client: client, transport: tr, guard: g, dial: tr.DialContext,
		inflight: make(chan struct{}, opts.MaxInFlight), noLean: opts.StandardTransport}
}

func (r *Run) run(runSoft, runHard context.Context) {
	defer close(r.done)
	defer r.cancelHard()
	monitorDone := make(chan struct{})
	var monitorWG sync.WaitGroup
	monitorWG.Go(func() { r.monitor(monitorDone) })

	var wg sync.WaitGroup
	for _, name := range r.scenarioNames() {
		ex := r.opts.Scenarios[name]
		wg.Go(func() { r.runScenario(runSoft, runHard, name, ex) })
	}
	wg.Wait()
	close(monitorDone)
	monitorWG.Wait()
	end := time.Now()
	r.eng.transport.CloseIdleConnections()
	r.finish(end)
}

func (r *Run) scenarioNames() []string {
	names := make([]string, 0, len(r.opts.Scenarios))
	for n := range r.opts.Scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Run) runScenario(runSoft, runHard context.Context, name string, ex Executor) {
	b := ex.base()
	if b.StartTime > 0 {
		t := time.NewTimer(b.StartTime)
		select {
		case <-t.C:
		case <-runSoft.Done():
			t.Stop()
			return
		}
	}
	sr := newScenarioRun(r.eng, name, ex)
	sr.start = time.Now()
	soft, cancelSoft := context.WithDeadline(runSoft, sr.start.Add(ex.span()))
	hard, cancelHard := context.WithCancel(runHard)
	sr.soft, sr.hard = soft, hard
	var phase string
	if tl := r.opts.Timeline; tl != nil {
		phase = tl.Begin(timeline.Phase, name, "scenario "+name, map[string]string{"executor": ex.Type()})
	}
	finished := make(chan struct{})
	go func() { // the graceful stop: interrupt what still runs after it
		select {
		case <-soft.Done():
		case <-finished:
			return
		}
		t := time.NewTimer(b.gracefulStop())
		defer t.Stop()
		select {
		case <-t.C:
			cancelHard()
		case <-finished:
		}
	}()
	ex.run(sr)
	close(finished)
	cancelSoft()
	cancelHard()
	if tl := r.opts.Timeline; tl != nil {
		tl.End(phase, timeline.Phase, nil)
	}
}

// Stop ends the run gracefully: no new iterations; running ones get their
// scenario's gracefulStop. Safe to call twice and after the end.
func (r *Run) Stop() { r.stop("stopped") }

func (r *Run) stop(reason string) {
	r.mu.Lock()
	if r.abortReason == "" && r.result == nil {
		r.abortReason = reason
		if tl := r.opts.Timeline; tl != nil {
			tl.Add(timeline.Phase, "", "load aborted", map[string]string{"reason": reason})
		}
	}
	r.mu.Unlock()
	r.stopSoft()
}

// Done is closed when the run has finished.
func (r *Run) Done() <-chan struct{} { return r.done }

// Wait blocks until the run ends and returns its result. It may be called
// from several goroutines.
func (r *Run) Wait() (*Result, error) {
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.result, nil
}

// Registry is the run's registry, live while it runs.
func (r *Run) Registry() *metrics.Registry { return r.eng.reg }

// StartTime is when the run started.
func (r *Run) StartTime() time.Time { return r.start }

func (r *Run) finish(end time.Time) {
	r.sampleVUs(end)
	r.ts.SetRun(r.start, end)
	results := r.ts.Evaluate(time.Time{}, time.Time{})
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range results {
		for _, f := range r.fired {
			if f.Metric == results[i].Metric && f.Source == results[i].Source {
				results[i].Aborted = true
			}
		}
	}
	kinds := map[string]string{}
	for n, ex := range r.opts.Scenarios {
		kinds[n] = ex.Type()
	}
	r.result = &Result{Start: r.start, End: end, Registry: r.eng.reg, Thresholds: results,
		Aborted: r.abortReason != "", AbortReason: r.abortReason, Scenarios: kinds}
}
