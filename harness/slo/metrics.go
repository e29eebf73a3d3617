package slo

// This file is the only one that reads package metrics: the live evaluator
// sees a registry through the small interfaces below, so a change of the
// threshold engine or of the registry's query API is a change here alone.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Selector picks an objective's events from a registry metric.
//
// For a rate metric a sample is an event, bad when non-zero
// (http_req_failed), or good when non-zero if GoodWhenTrue (checks). For a
// trend metric a sample is good when its value is ≤ Latency — a latency
// objective (time trends are in ms; Latency is converted).
type Selector struct {
	Metric       string       // default http_req_failed
	Filter       metrics.Tags // k6 submetric filter; nil matches every series
	GoodWhenTrue bool
	Latency      time.Duration
}

func (s Selector) metricName() string {
	if s.Metric == "" {
		return metrics.HTTPReqFailed
	}
	return s.Metric
}

func (s Selector) String() string {
	name := s.metricName()
	if len(s.Filter) > 0 {
		name += s.Filter.String()
	}
	if s.Latency > 0 {
		return fmt.Sprintf("%s ≤ %s", name, s.Latency)
	}
	return name
}

// window is what the evaluator needs from a metric: one aggregate of the
// matching series over [from, to).
type window interface {
	Window(filter metrics.Tags, from, to time.Time) metrics.Aggregate
}

// FromMetrics counts the selected events of reg as they are recorded: the
// seconds already complete, plus the second in progress.
func FromMetrics(reg *metrics.Registry, sel Selector) (Source, error) {
	if reg == nil {
		return nil, errors.New("slo source: nil registry")
	}
	m := reg.Metric(sel.metricName())
	if m == nil {
		return nil, fmt.Errorf("slo source: %w %q", metrics.ErrUnknownMetric, sel.metricName())
	}
	var limit float64
	switch m.Type {
	case metrics.Rate:
	case metrics.Trend:
		if sel.Latency <= 0 {
			return nil, fmt.Errorf("slo source: trend %s needs a latency limit", m.Name)
		}
		limit = sel.Latency.Seconds()
		if m.ValueType == metrics.Time {
			limit = float64(sel.Latency) / float64(time.Millisecond)
		}
	default:
		return nil, fmt.Errorf("slo source: metric %s must be a rate or a trend, not a %s", m.Name, m.Type)
	}
	return &metricSource{sel: sel, m: m, start: reg.Start(), limit: limit}, nil
}

type metricSource struct {
	sel   Selector
	m     window
	start time.Time
	limit float64

	mu   sync.Mutex
	done int    // seconds [0, done) are in sum
	sum  Counts // events of the complete seconds
}

func (s *metricSource) String() string { return s.sel.String() }

func (s *metricSource) Counts(_ context.Context, now time.Time) (Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := max(0, int(now.Sub(s.start)/time.Second))
	if cur > s.done {
		// Every second since the last call is complete: one window over
		// them all, so a late tick costs no more than a timely one.
		c := s.count(s.at(s.done), s.at(cur))
		s.sum.Good += c.Good
		s.sum.Total += c.Total
		s.done = cur
	}
	part := s.count(s.at(cur), s.at(cur+1))
	return Counts{Good: s.sum.Good + part.Good, Total: s.sum.Total + part.Total}, nil
}

func (s *metricSource) at(sec int) time.Time { return s.start.Add(time.Duration(sec) * time.Second) }

func (s *metricSource) count(from, to time.Time) Counts {
	a := s.m.Window(s.sel.Filter, from, to)
	switch {
	case a.Type == metrics.Trend:
		return Counts{Good: CountAtMost(a, s.limit), Total: a.Count}
	case s.sel.GoodWhenTrue:
		return Counts{Good: a.Trues, Total: a.Count}
	}
	return Counts{Good: a.Count - a.Trues, Total: a.Count}
}

// CountAtMost is how many samples of a trend aggregate are ≤ limit. The
// metric store keeps histograms, not samples, so this searches for the
// highest rank k whose value (Quantile at rank k) is ≤ limit: exact up to
// the histogram's resolution (samples within ~0.5% of limit may land on
// either side). Rank k is quantile (k − ½)/n under the store's ceil(q·n)
// rule.
func CountAtMost(a metrics.Aggregate, limit float64) uint64 {
	switch {
	case a.Count == 0 || a.Min > limit:
		return 0
	case a.Max <= limit:
		return a.Count
	}
	n := a.Count
	// invariant: rank lo is ≤ limit (rank 0 trivially), rank hi is > limit
	lo, hi := uint64(0), n
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if a.Quantile((float64(mid)-0.5)/float64(n)) <= limit {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// thresholdSet is what the evaluator needs from parsed thresholds: k6's
// mid-run check over the run so far, skipping metrics without samples.
type thresholdSet interface {
	CheckAbort(elapsed time.Duration) (bool, []metrics.ThresholdResult)
}

// Thresholds is a Check of k6 threshold expressions ({"http_req_failed":
// {"rate<0.01"}}) over reg's samples so far, evaluated as k6 evaluates
// abortOnFail thresholds while a run goes on: a metric without samples yet
// is not judged. It breaks while any expression fails.
func Thresholds(reg *metrics.Registry, spec map[string][]string) (Check, error) {
	cfgs := make(map[string][]metrics.ThresholdConfig, len(spec))
	for name, srcs := range spec {
		for _, s := range srcs {
			cfgs[name] = append(cfgs[name], metrics.ThresholdConfig{Threshold: s, AbortOnFail: true})
		}
	}
	ts, err := metrics.ParseThresholdConfigs(cfgs, reg)
	if err != nil {
		return nil, fmt.Errorf("live thresholds: %w", err)
	}
	return &thresholdCheck{ts: ts, start: reg.Start(), spec: spec}, nil
}

type thresholdCheck struct {
	ts    thresholdSet
	start time.Time
	spec  map[string][]string
}

func (c *thresholdCheck) String() string {
	var parts []string
	for name, srcs := range c.spec {
		parts = append(parts, name+" "+strings.Join(srcs, ", "))
	}
	sort.Strings(parts)
	return "thresholds " + strings.Join(parts, "; ")
}

func (c *thresholdCheck) Eval(_ context.Context, now time.Time) Status {
	broken, fired := c.ts.CheckAbort(now.Sub(c.start))
	if !broken {
		return Status{Healthy: true, Detail: "every threshold holds"}
	}
	parts := make([]string, len(fired))
	for i, f := range fired {
		parts[i] = fmt.Sprintf("%s %s (value %.4g)", f.Metric, f.Source, f.Value)
	}
	return Status{Detail: "crossed: " + strings.Join(parts, "; ")}
}
