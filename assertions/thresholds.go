package assertions

import (
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/stretchr/testify/assert"
)

// Thresholds asserts k6 threshold expressions, keyed by metric with an
// optional tag filter ("http_req_duration{name:cart}": {"p(95)<500"}), in
// each window of opts (Before, During, After, Between), or over the whole
// run when there are none. The expressions are parsed and evaluated by
// metrics.ParseThresholds, with k6's grammar and gameday's evaluator; a
// gauge, rate or trend with no samples in a window fails ("no samples").
//
// With a nil spec it asserts the verdicts the run already carries
// (run.Thresholds, from the load's own thresholds).
func Thresholds(t assert.TestingT, run *harness.Run, spec map[string][]string, opts ...WindowOption) bool {
	helper(t)
	if len(spec) == 0 {
		if len(opts) > 0 {
			return broken(t, "thresholds", errors.New("windows need a threshold spec"))
		}
		return runThresholds(t, run)
	}
	if run.Metrics == nil {
		return broken(t, "thresholds", errors.New("run has no metrics"))
	}
	ts, err := metrics.ParseThresholds(spec, run.Metrics)
	if err != nil {
		return broken(t, "thresholds", err)
	}
	ts.SetRun(run.Start, run.End)
	windows, err := resolve(run, opts)
	if err != nil {
		return broken(t, "thresholds", err)
	}
	ok := true
	for _, w := range windows {
		var res []metrics.ThresholdResult
		if len(opts) == 0 {
			res = ts.Evaluate(time.Time{}, time.Time{}) // whole run: exact HDR aggregates
		} else {
			res = ts.Evaluate(w.From, w.To)
		}
		for _, r := range res {
			if !r.Ok {
				ok = fail(t, run, w, "threshold %s: %s failed: %s", r.Metric, r.Source, measured(run, r)) && ok
			}
		}
	}
	return ok
}

func runThresholds(t assert.TestingT, run *harness.Run) bool {
	helper(t)
	ok := true
	w := Window{Label: "whole run", From: run.Start, To: run.End}
	for _, r := range run.Thresholds {
		if !r.Ok {
			ok = fail(t, run, w, "threshold %s: %s failed: %s", r.Metric, r.Source, measured(run, r)) && ok
		}
	}
	return ok
}

// measured says what the failed threshold saw: its value, or that its
// (sub)metric got no samples (a gate over no traffic fails).
func measured(run *harness.Run, r metrics.ThresholdResult) string {
	if r.NoSamples {
		return "no samples"
	}
	return "measured " + fmtValue(run, r.Metric, r.Value)
}

// fmtValue prints a threshold's value with its unit when the metric has one.
func fmtValue(run *harness.Run, metric string, v float64) string {
	name := metric
	for i, c := range metric {
		if c == '{' {
			name = metric[:i]
			break
		}
	}
	if run.Metrics != nil {
		if m := run.Metrics.Metric(name); m != nil && m.ValueType == metrics.Time && m.Type == metrics.Trend {
			return fmt.Sprintf("%.4gms", v)
		}
	}
	return fmt.Sprintf("%.4g", v)
}
