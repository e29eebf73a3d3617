package metrics

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// ThresholdConfig is k6's object form of one threshold expression
// ({threshold, abortOnFail, delayAbortEval}) plus gameday's opt-out for
// metrics that may legitimately get no samples.
type ThresholdConfig struct {
	// Threshold is the expression in k6's grammar, e.g. "p(95)<500" (see
	// Expression).
	Threshold string `json:"threshold"`
	// AbortOnFail stops the run as soon as the expression fails while the
	// run is in progress (evaluated once per second). Default false.
	AbortOnFail bool `json:"abortOnFail,omitempty"`
	// DelayAbortEval is how long into the run AbortOnFail waits before it
	// judges the expression at all: the first judgement comes once the run
	// is longer than that. Default 0: from the first evaluation.
	DelayAbortEval time.Duration `json:"delayAbortEval,omitempty"`
	// AllowNoSamples lets the expression pass when its gauge, rate or trend
	// (or the sub-metric its tag filter selects) got no samples at all.
	// Default false: a gate that passes with no traffic is not a gate, so
	// an undefined value fails with "no samples". A counter is never
	// undefined: without samples its count is 0.
	AllowNoSamples bool `json:"allowNoSamples,omitempty"`
}

// Validate checks the expression and options on their own, without a
// metric: the grammar and a non-negative delay.
func (c ThresholdConfig) Validate() error {
	var errs []error
	if _, err := ParseExpression(c.Threshold); err != nil {
		errs = append(errs, err)
	}
	if c.DelayAbortEval < 0 {
		errs = append(errs, fmt.Errorf("delayAbortEval %s: must not be negative", c.DelayAbortEval))
	}
	return errors.Join(errs...)
}

// ThresholdSet is a parsed, validated set of thresholds bound to one
// registry. It is safe for concurrent use.
type ThresholdSet struct {
	reg   *Registry
	items []*threshold

	mu         sync.Mutex
	start, end time.Time // the run's span, for a counter's rate over the whole run

	evalMu  sync.Mutex // one evaluation at a time: they share the sources' scratch histograms
	sources map[string]*source
}

// threshold is one expression on one (sub)metric.
type threshold struct {
	metricSrc string // as written: http_req_duration{name:checkout}
	metric    *Metric
	filter    Tags
	cfg       ThresholdConfig
	expr      Expression
	src       *source
}

// source is one (sub)metric that one or more expressions judge: each
// evaluation aggregates it once. A whole-run trend aggregate is merged
// into scratch, allocated once, so evaluating every second makes no
// garbage of the histogram's size.
type source struct {
	metric  *Metric
	filter  Tags
	hist    bool // some expression needs the distribution
	scratch *hdr.Histogram
}

// sourceFor returns the set's shared source of the samples items judge
// (all on one selector), creating it on first use.
func (ts *ThresholdSet) sourceFor(items []*threshold) *source {
	if len(items) == 0 {
		return nil
	}
	if ts.sources == nil {
		ts.sources = map[string]*source{}
	}
	m, filter := items[0].metric, items[0].filter
	key := m.Name + "\x02" + filter.key()
	s := ts.sources[key]
	if s == nil {
		s = &source{metric: m, filter: filter}
		ts.sources[key] = s
	}
	for _, t := range items {
		s.hist = s.hist || t.expr.Aggregation.needsHistogram()
		t.src = s
	}
	return s
}

// ParseThresholds parses k6 threshold expressions keyed by metric selector
// (a name with an optional tag filter, `http_req_failed{name:cart}`) and
// validates them against reg's metrics: each metric must be defined and
// allow the expression's aggregation. Every problem in spec is reported at
// once, each with its metric and expression.
func ParseThresholds(spec map[string][]string, reg *Registry) (*ThresholdSet, error) {
	cfgs := make(map[string][]ThresholdConfig, len(spec))
	for name, srcs := range spec {
		cfgs[name] = make([]ThresholdConfig, 0, len(srcs))
		for _, s := range srcs {
			cfgs[name] = append(cfgs[name], ThresholdConfig{Threshold: s})
		}
	}
	return ParseThresholdConfigs(cfgs, reg)
}

// ParseThresholdConfigs is ParseThresholds with k6's object form, which
// adds abortOnFail and delayAbortEval (and gameday's allowNoSamples).
func ParseThresholdConfigs(spec map[string][]ThresholdConfig, reg *Registry) (*ThresholdSet, error) {
	if reg == nil {
		return nil, errors.New("parse thresholds: nil registry")
	}
	names := make([]string, 0, len(spec))
	for n := range spec {
		names = append(names, n)
	}
	sort.Strings(names)
	ts := &ThresholdSet{reg: reg}
	var errs []error
	for _, name := range names {
		items, err := parseMetricThresholds(name, spec[name], reg)
		errs = append(errs, err)
		ts.sourceFor(items)
		ts.items = append(ts.items, items...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ts, nil
}

// parseMetricThresholds returns the valid expressions on one selector and
// every problem found on it.
func parseMetricThresholds(name string, cfgs []ThresholdConfig, reg *Registry) ([]*threshold, error) {
	sel, err := ParseSelector(name)
	if err != nil {
		return nil, fmt.Errorf("threshold on %s: %w", name, err)
	}
	m := reg.Metric(sel.Metric)
	if m == nil {
		return nil, fmt.Errorf("threshold on %s: %w %q (define custom metrics before parsing thresholds)",
			name, ErrUnknownMetric, sel.Metric)
	}
	var errs []error
	out := make([]*threshold, 0, len(cfgs))
	for _, c := range cfgs {
		expr, err := parseExpression(c.Threshold)
		if err == nil {
			err = expr.Aggregation.AllowedFor(m.Type)
		}
		if c.DelayAbortEval < 0 {
			err = errors.Join(err, fmt.Errorf("delayAbortEval %s: must not be negative", c.DelayAbortEval))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("threshold %q on %s: %w", c.Threshold, name, err))
			continue
		}
		out = append(out, &threshold{metricSrc: name, metric: m, filter: sel.Tags, cfg: c, expr: expr})
	}
	return out, errors.Join(errs...)
}

// Len is the number of expressions in the set.
func (ts *ThresholdSet) Len() int { return len(ts.items) }

// HasAbort reports whether any expression has abortOnFail.
func (ts *ThresholdSet) HasAbort() bool {
	for _, t := range ts.items {
		if t.cfg.AbortOnFail {
			return true
		}
	}
	return false
}

// SetRun records the run's span; Evaluate with zero times then divides a
// counter's count by end-start for its rate. Unset, it uses the registry's
// start and the current time.
func (ts *ThresholdSet) SetRun(start, end time.Time) {
	ts.mu.Lock()
	ts.start, ts.end = start, end
	ts.mu.Unlock()
}
