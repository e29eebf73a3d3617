package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	k6metrics "go.k6.io/k6/metrics"
)

// ThresholdConfig is k6's object form of one threshold expression:
// {threshold, abortOnFail, delayAbortEval}.
type ThresholdConfig struct {
	// Threshold is the expression in k6 grammar, e.g. "p(95)<500".
	Threshold string `json:"threshold"`
	// AbortOnFail stops the run as soon as the expression fails while the
	// run is in progress (evaluated once per second). Default false.
	AbortOnFail bool `json:"abortOnFail,omitempty"`
	// DelayAbortEval is how long into the run failures are tolerated before
	// AbortOnFail applies. Default 0: from the first evaluation.
	DelayAbortEval time.Duration `json:"delayAbortEval,omitempty"`
}

// ThresholdSet is a parsed, validated set of thresholds bound to one
// registry. It is safe for concurrent use.
type ThresholdSet struct {
	reg   *Registry
	items []*threshold

	mu         sync.Mutex
	start, end time.Time // the run's span, for a counter's rate over the whole run
}

// threshold is one expression on one (sub)metric. Each expression gets its
// own k6 Thresholds so each is fed a sink built for its aggregation.
type threshold struct {
	metricSrc string // as written: http_req_duration{name:checkout}
	metric    *Metric
	filter    Tags
	cfg       ThresholdConfig
	method    string  // the aggregation: count, rate, value, avg, min, max, med, p
	pct       float64 // for p(N): N
	k6        k6metrics.Thresholds
}

// ParseThresholds parses k6 threshold expressions keyed by metric name
// (with an optional tag filter, `http_req_failed{name:cart}`) and validates
// them against reg's metric types with k6's own parser and validator.
func ParseThresholds(spec map[string][]string, reg *Registry) (*ThresholdSet, error) {
	cfgs := make(map[string][]ThresholdConfig, len(spec))
	for name, srcs := range spec {
		for _, s := range srcs {
			cfgs[name] = append(cfgs[name], ThresholdConfig{Threshold: s})
		}
	}
	return ParseThresholdConfigs(cfgs, reg)
}

// ParseThresholdConfigs is ParseThresholds with k6's object form, which
// adds abortOnFail and delayAbortEval.
func ParseThresholdConfigs(spec map[string][]ThresholdConfig, reg *Registry) (*ThresholdSet, error) {
	if reg == nil {
		return nil, errors.New("parse thresholds: nil registry")
	}
	k6reg, err := reg.K6Registry()
	if err != nil {
		return nil, fmt.Errorf("parse thresholds: %w", err)
	}
	names := make([]string, 0, len(spec))
	for n := range spec {
		names = append(names, n)
	}
	sort.Strings(names)
	ts := &ThresholdSet{reg: reg}
	var errs []error
	for _, name := range names {
		items, err := parseMetricThresholds(name, spec[name], reg, k6reg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ts.items = append(ts.items, items...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ts, nil
}

func parseMetricThresholds(name string, cfgs []ThresholdConfig, reg *Registry, k6reg *k6metrics.Registry) ([]*threshold, error) {
	base, tagList, err := k6metrics.ParseMetricName(name)
	if err != nil {
		return nil, fmt.Errorf("threshold metric %q: %w", name, err)
	}
	m := reg.Metric(base)
	if m == nil {
		return nil, fmt.Errorf("threshold on %q: %w %q (define custom metrics before parsing thresholds)", name, ErrUnknownMetric, base)
	}
	var filter Tags
	if len(tagList) > 0 {
		filter = Tags{}
		for _, kv := range tagList {
			k, v, ok := strings.Cut(kv, ":")
			if !ok {
				return nil, fmt.Errorf("threshold metric %q: tag %q is not key:value", name, kv)
			}
			filter[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	out := make([]*threshold, 0, len(cfgs))
	for _, c := range cfgs {
		if c.DelayAbortEval < 0 {
			return nil, fmt.Errorf("threshold %q on %s: negative delayAbortEval %s", c.Threshold, name, c.DelayAbortEval)
		}
		k6ts, err := newK6Thresholds(c)
		if err != nil {
			return nil, fmt.Errorf("threshold %q on %s: %w", c.Threshold, name, err)
		}
		if err := k6ts.Parse(); err != nil {
			return nil, fmt.Errorf("threshold %q on %s: %w", c.Threshold, name, err)
		}
		if err := k6ts.Validate(name, k6reg); err != nil {
			return nil, fmt.Errorf("threshold %q on %s: %w", c.Threshold, name, err)
		}
		method, pct, err := aggregationOf(c.Threshold)
		if err != nil {
			return nil, fmt.Errorf("threshold %q on %s: %w", c.Threshold, name, err)
		}
		out = append(out, &threshold{metricSrc: name, metric: m, filter: filter, cfg: c,
			method: method, pct: pct, k6: k6ts})
	}
	return out, nil
}

// newK6Thresholds builds k6's Thresholds through its JSON form, the only
// public way to set abortOnFail and delayAbortEval.
func newK6Thresholds(c ThresholdConfig) (k6metrics.Thresholds, error) {
	obj := map[string]any{"threshold": c.Threshold, "abortOnFail": c.AbortOnFail}
	if c.DelayAbortEval > 0 {
		obj["delayAbortEval"] = c.DelayAbortEval.String()
	}
	raw, err := json.Marshal([]any{obj})
	if err != nil {
		return k6metrics.Thresholds{}, err
	}
	var ts k6metrics.Thresholds
	if err := ts.UnmarshalJSON(raw); err != nil {
		return k6metrics.Thresholds{}, err
	}
	return ts, nil
}

// aggregationOf reads the aggregation method of an expression k6 already
// parsed: the text before the operator, like "p(99.9)" or "rate".
func aggregationOf(src string) (string, float64, error) {
	i := strings.IndexAny(src, "<>=!")
	if i < 0 {
		return "", 0, errors.New("no comparison operator")
	}
	agg := strings.ReplaceAll(src[:i], " ", "")
	if strings.HasPrefix(agg, "p(") && strings.HasSuffix(agg, ")") {
		var pct float64
		if _, err := fmt.Sscanf(agg[2:len(agg)-1], "%g", &pct); err != nil {
			return "", 0, fmt.Errorf("percentile %q: %w", agg, err)
		}
		return "p", pct, nil
	}
	return agg, 0, nil
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
