package assertions

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/stretchr/testify/assert"
)

// Compare reads one statistic of a metric from a run and its baseline.
type Compare struct {
	Metric string       // e.g. http_req_duration
	Filter metrics.Tags // k6 submetric filter
	Stat   string       // avg, med, min, max, count, rate, value or p(N)
}

// Ratio returns run's statistic, the baseline's, and run/baseline.
func (c Compare) Ratio(run, baseline *harness.Run) (got, base, ratio float64, err error) {
	if got, err = c.value(run); err != nil {
		return 0, 0, 0, fmt.Errorf("run: %w", err)
	}
	if base, err = c.value(baseline); err != nil {
		return 0, 0, 0, fmt.Errorf("baseline: %w", err)
	}
	switch {
	case base != 0:
		ratio = got / base
	case got == 0:
		ratio = 1
	default:
		ratio = float64(1 << 62) // any degradation from a zero baseline
	}
	return got, base, ratio, nil
}

func (c Compare) value(run *harness.Run) (float64, error) {
	m, err := metricOf(run.Metrics, c.Metric)
	if err != nil {
		return 0, err
	}
	a := m.Aggregate(c.Filter)
	if a.Count == 0 {
		return 0, fmt.Errorf("%s has no samples", subName(c.Metric, c.Filter))
	}
	return statOf(a, c.Stat)
}

// WithinBaseline asserts that a disrupted run's statistic is at most
// maxRatio times the baseline run's (p(95) under a fault ≤ 1.5× the
// fault-free p(95), say). A zero baseline allows only zero.
func WithinBaseline(t assert.TestingT, run, baseline *harness.Run, c Compare, maxRatio float64) bool {
	helper(t)
	got, base, ratio, err := c.Ratio(run, baseline)
	if err != nil {
		return broken(t, "baseline comparison", err)
	}
	if ratio <= maxRatio {
		return true
	}
	unit := unitOf(run.Metrics, c.Metric)
	return fail(t, run, Window{Label: "whole run", From: run.Start, To: run.End},
		"%s of %s is %.4g%s against %.4g%s in baseline run %q: ratio %.3g, limit %g",
		c.Stat, subName(c.Metric, c.Filter), got, unit, base, unit, baseline.Name, ratio, maxRatio)
}
