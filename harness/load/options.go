package load

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Defaults of Options.
const (
	DefaultMaxInFlight = 1000
	DefaultMaxDuration = 10 * time.Minute
)

// Thresholds are k6 threshold expressions keyed by metric name, with an
// optional tag filter: {"http_req_duration{name:cart}": {"p(95)<500"}}.
type Thresholds map[string][]string

// Options configure one run.
type Options struct {
	// Scenarios run in parallel. Required.
	Scenarios Scenarios
	// Thresholds are k6 expressions keyed by metric (with an optional tag
	// filter): {"http_req_duration{name:cart}": {"p(95)<500"}}.
	Thresholds Thresholds
	// ThresholdConfigs are thresholds in k6's object form (abortOnFail,
	// delayAbortEval); merged with Thresholds.
	ThresholdConfigs map[string][]metrics.ThresholdConfig
	// Registry receives the samples. Default: a new one starting at Start.
	// Define custom metrics on it before Start to use them in thresholds.
	Registry *metrics.Registry
	// Timeline, when set, records each scenario as a phase and any abort.
	Timeline *timeline.Timeline
	// MaxInFlight caps concurrent requests over the whole run. Default 1000.
	MaxInFlight int
	// MaxDuration bounds the whole run, graceful stops included. Default 10m.
	MaxDuration time.Duration
	// AllowHosts are hosts besides loopback that may receive traffic (the
	// containers the harness started), as host or host:port.
	AllowHosts []string
	// Progress, when set, receives a one-line status once per second.
	Progress io.Writer
	// StandardTransport sends every request through net/http's Transport
	// instead of the VUs' own HTTP/1.1 connections (the lean path). Plain
	// HTTP/1.1 only; TLS and other hosts always use the Transport.
	StandardTransport bool
}

func (o Options) withDefaults() Options {
	if o.MaxInFlight == 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.MaxDuration == 0 {
		o.MaxDuration = DefaultMaxDuration
	}
	return o
}

// Validate reports every problem of the options (defaults applied).
func (o Options) Validate() error {
	o = o.withDefaults()
	var errs []error
	if err := o.Scenarios.Validate(); err != nil {
		errs = append(errs, err)
	}
	if o.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("maxInFlight %d is negative", o.MaxInFlight))
	}
	if o.MaxDuration < 0 {
		errs = append(errs, fmt.Errorf("maxDuration %s is negative", o.MaxDuration))
	}
	for name, ex := range o.Scenarios {
		if ex == nil || iterationBased(ex) {
			continue
		}
		if end := ex.base().StartTime + ex.span(); end > o.MaxDuration {
			errs = append(errs, fmt.Errorf("scenario %q ends at %s, after maxDuration %s", name, end, o.MaxDuration))
		}
	}
	for _, h := range o.AllowHosts {
		if normalizeHost(h) == "" {
			errs = append(errs, fmt.Errorf("allowHosts: empty host in %q", h))
		}
	}
	return errors.Join(errs...)
}

// iterationBased executors are bounded by their own maxDuration, which the
// run's MaxDuration clamps instead of rejecting.
func iterationBased(ex Executor) bool {
	switch ex.(type) {
	case SharedIterations, PerVUIterations, *SharedIterations, *PerVUIterations:
		return true
	}
	return false
}

// thresholds merges both threshold forms and parses them against reg.
func (o Options) thresholds(reg *metrics.Registry) (*metrics.ThresholdSet, error) {
	all := map[string][]metrics.ThresholdConfig{}
	for name, srcs := range o.Thresholds {
		for _, s := range srcs {
			all[name] = append(all[name], metrics.ThresholdConfig{Threshold: s})
		}
	}
	for name, cfgs := range o.ThresholdConfigs {
		all[name] = append(all[name], cfgs...)
	}
	ts, err := metrics.ParseThresholdConfigs(all, reg)
	if err != nil {
		return nil, fmt.Errorf("thresholds: %w", err)
	}
	return ts, nil
}
