package harness

import (
	"context"
	"io"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// Thresholds are k6 threshold expressions keyed by metric with an optional
// tag filter: {"http_req_duration{name:checkout}": {"p(95)<500"}}.
type Thresholds = map[string][]string

// LoadOption tunes one load run.
type LoadOption func(*load.Options)

// WithProgress prints a live progress line once per second to w.
func WithProgress(w io.Writer) LoadOption { return func(o *load.Options) { o.Progress = w } }

// WithMaxInFlight caps concurrent requests (default 1000).
func WithMaxInFlight(n int) LoadOption { return func(o *load.Options) { o.MaxInFlight = n } }

// WithRegistry records into reg (define custom metrics on it first).
func WithRegistry(reg *metrics.Registry) LoadOption {
	return func(o *load.Options) { o.Registry = reg }
}

// WithThresholdConfigs adds thresholds in k6's object form (abortOnFail).
func WithThresholdConfigs(c map[string][]metrics.ThresholdConfig) LoadOption {
	return func(o *load.Options) { o.ThresholdConfigs = c }
}

// LoadRun is a load run in progress against an Env.
type LoadRun struct {
	env    *Env
	run    *load.Run
	name   string
	before []proxy.Edge
}

// Load validates and starts a load run now; Wait collects it. Thresholds
// and options are checked before any traffic is sent.
func (e *Env) Load(t T, scenarios load.Scenarios, thresholds Thresholds, opts ...LoadOption) *LoadRun {
	t.Helper()
	lr, err := e.StartLoad(t.Context(), scenarios, thresholds, opts...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	lr.name = t.Name()
	t.Cleanup(lr.run.Stop)
	return lr
}

// StartLoad is Load without a T.
func (e *Env) StartLoad(ctx context.Context, scenarios load.Scenarios, thresholds Thresholds, opts ...LoadOption) (*LoadRun, error) {
	o := load.Options{Scenarios: scenarios, Thresholds: thresholds, Timeline: e.Timeline}
	for _, opt := range opts {
		opt(&o)
	}
	if o.Registry == nil {
		o.Registry = metrics.NewRegistry(time.Now())
	}
	before := e.edges(ctx)
	// The proxies count caller→callee requests per second into the run's
	// registry too, so amplification can be judged per window.
	if r, ok := e.Running.(interface{ SetRegistry(*metrics.Registry) }); ok {
		r.SetRegistry(o.Registry)
	}
	run, err := load.Start(ctx, o)
	if err != nil {
		return nil, err
	}
	return &LoadRun{env: e, run: run, before: before}, nil
}

// Registry is where this run's samples go.
func (lr *LoadRun) Registry() *metrics.Registry { return lr.run.Registry() }

// Stop ends the run early (gracefully). Safe twice.
func (lr *LoadRun) Stop() { lr.run.Stop() }

// Wait blocks until the run ends and returns its record.
func (lr *LoadRun) Wait(t T) *Run {
	t.Helper()
	r, err := lr.Collect(context.WithoutCancel(t.Context()))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	noteRun(t, r)
	return r
}

// Collect is Wait without a T.
func (lr *LoadRun) Collect(ctx context.Context) (*Run, error) {
	res, err := lr.run.Wait()
	if err != nil {
		return nil, err
	}
	e := lr.env
	return &Run{
		Name:        lr.name,
		Target:      e.Running.Kind(),
		Start:       res.Start,
		End:         res.End,
		Metrics:     res.Registry,
		Timeline:    e.Timeline,
		Thresholds:  res.Thresholds,
		Edges:       subtractEdges(e.edges(ctx), lr.before),
		Aborted:     res.Aborted,
		ArtifactDir: e.cfg.artifactDir,
	}, nil
}

// subtractEdges returns after − before per caller→callee: what one run sent.
func subtractEdges(after, before []proxy.Edge) []proxy.Edge {
	type key struct{ caller, callee string }
	prev := map[key]proxy.Edge{}
	for _, b := range before {
		prev[key{b.Caller, b.Callee}] = b
	}
	var out []proxy.Edge
	for _, a := range after {
		b := prev[key{a.Caller, a.Callee}]
		d := proxy.Edge{Caller: a.Caller, Callee: a.Callee, Requests: a.Requests - b.Requests,
			Outcomes: map[string]uint64{}}
		for k, v := range a.Outcomes {
			if n := v - b.Outcomes[k]; n > 0 {
				d.Outcomes[k] = n
			}
		}
		if d.Requests > 0 {
			out = append(out, d)
		}
	}
	return out
}
