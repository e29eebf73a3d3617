package assertions

import (
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// SLO is a service-level objective over events of one metric: the share of
// good events must be at least Objective.
//
// For a rate metric a sample is an event, bad when non-zero
// (http_req_failed), or good when non-zero if GoodWhenTrue (checks). For a
// trend metric a sample is good when its value is ≤ Latency (in the
// metric's unit, ms for times) — a latency SLO.
type SLO struct {
	Name         string       // for messages; default: derived from the fields
	Metric       string       // default http_req_failed
	Filter       metrics.Tags // k6 submetric filter; nil matches every series
	Objective    float64      // good share required, in (0, 1), e.g. 0.999
	GoodWhenTrue bool         // rate metrics: a true sample is good (checks)
	Latency      float64      // trend metrics: good when value ≤ Latency
}

// Availability is the SLO "at least objective of the requests matching
// filter do not fail", over http_req_failed.
func Availability(filter metrics.Tags, objective float64) SLO {
	return SLO{Metric: metrics.HTTPReqFailed, Filter: filter, Objective: objective}
}

// Latency is the SLO "at least objective of the requests matching filter
// take ≤ limit", over http_req_duration.
func Latency(filter metrics.Tags, limit time.Duration, objective float64) SLO {
	return SLO{Metric: metrics.HTTPReqDuration, Filter: filter, Objective: objective,
		Latency: float64(limit) / float64(time.Millisecond)}
}

// Validate reports every problem with the SLO's fields.
func (s SLO) Validate() error {
	var errs []error
	if !(s.Objective > 0 && s.Objective < 1) {
		errs = append(errs, fmt.Errorf("objective %v: must be in (0, 1)", s.Objective))
	}
	if s.Latency < 0 {
		errs = append(errs, fmt.Errorf("latency limit %v: must not be negative", s.Latency))
	}
	return errors.Join(errs...)
}

func (s SLO) metricName() string {
	if s.Metric == "" {
		return metrics.HTTPReqFailed
	}
	return s.Metric
}

// String reads like "99.9% of http_req_duration{name:cart} ≤ 500ms".
func (s SLO) String() string {
	if s.Name != "" {
		return s.Name
	}
	sub := s.metricName()
	if len(s.Filter) > 0 {
		sub += s.Filter.String()
	}
	obj := fmtPct(s.Objective)
	switch {
	case s.Latency > 0:
		return fmt.Sprintf("%s of %s ≤ %gms", obj, sub, s.Latency)
	case s.GoodWhenTrue:
		return fmt.Sprintf("%s of %s true", obj, sub)
	}
	return fmt.Sprintf("%s of %s false", obj, sub)
}

func (s SLO) metric(reg *metrics.Registry) (*metrics.Metric, error) {
	if reg == nil {
		return nil, errors.New("run has no metrics")
	}
	m := reg.Metric(s.metricName())
	if m == nil {
		return nil, fmt.Errorf("%w %q", metrics.ErrUnknownMetric, s.metricName())
	}
	switch m.Type {
	case metrics.Rate:
	case metrics.Trend:
		if s.Latency <= 0 {
			return nil, fmt.Errorf("slo on trend %s needs a latency limit", m.Name)
		}
	default:
		return nil, fmt.Errorf("slo on %s: metric must be a rate or a trend, not a %s", m.Name, m.Type)
	}
	return m, nil
}

// good counts the good events of one aggregate.
func (s SLO) good(a metrics.Aggregate) uint64 {
	switch {
	case a.Type == metrics.Trend:
		return countAtMost(a, s.Latency)
	case s.GoodWhenTrue:
		return a.Trues
	}
	return a.Count - a.Trues
}

// Events counts the good and all events in [from, to).
func (s SLO) Events(run *harness.Run, from, to time.Time) (good, total uint64, err error) {
	m, err := s.metric(run.Metrics)
	if err != nil {
		return 0, 0, err
	}
	a := m.Window(s.Filter, from, to)
	return s.good(a), a.Count, nil
}

// perSecond returns good and total events per second since the registry's start.
func (s SLO) perSecond(run *harness.Run) (good, total []uint64, err error) {
	m, err := s.metric(run.Metrics)
	if err != nil {
		return nil, nil, err
	}
	secs := m.Seconds(s.Filter)
	good, total = make([]uint64, len(secs)), make([]uint64, len(secs))
	for i, a := range secs {
		good[i], total[i] = s.good(a), a.Count
	}
	return good, total, nil
}

// Check implements Probe: the SLO holds in [from, to) when there are events
// and the good share reaches the objective.
func (s SLO) Check(run *harness.Run, from, to time.Time) (bool, string, error) {
	if err := s.Validate(); err != nil {
		return false, "", err
	}
	good, total, err := s.Events(run, from, to)
	if err != nil {
		return false, "", err
	}
	if total == 0 {
		return false, "no events", nil
	}
	share := float64(good) / float64(total)
	return share >= s.Objective, fmt.Sprintf("%s good (%d/%d)", fmtPct(share), good, total), nil
}

// Probe is a check of a run over a window, like a Chaos Toolkit probe with
// its tolerance: it says whether the window is healthy and what it measured.
type Probe interface {
	Check(run *harness.Run, from, to time.Time) (ok bool, measured string, err error)
	String() string
}

// ProbeFunc adapts a function to Probe; Name is its String.
type ProbeFunc struct {
	Name string
	Func func(run *harness.Run, from, to time.Time) (ok bool, measured string, err error)
}

// Check calls p.Func.
func (p ProbeFunc) Check(run *harness.Run, from, to time.Time) (bool, string, error) {
	return p.Func(run, from, to)
}

func (p ProbeFunc) String() string { return p.Name }

func fmtPct(v float64) string {
	return fmt.Sprintf("%.4g%%", v*100)
}
