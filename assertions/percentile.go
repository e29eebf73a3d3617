package assertions

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/stretchr/testify/assert"
)

// PercentileBelow asserts that percentile p (0–100, as in k6's p(95)) of a
// trend's samples matching filter is below limit (in the metric's unit),
// in each window of opts, or over the whole run.
func PercentileBelow(t assert.TestingT, run *harness.Run, metric string, filter metrics.Tags, p, limit float64, opts ...WindowOption) bool {
	helper(t)
	m, err := metricOf(run.Metrics, metric)
	if err != nil {
		return broken(t, "percentile", err)
	}
	windows, err := resolve(run, opts)
	if err != nil {
		return broken(t, "percentile", err)
	}
	ok := true
	unit := unitOf(run.Metrics, metric)
	for _, w := range windows {
		a := m.Window(filter, w.From, w.To)
		if len(opts) == 0 {
			a = m.Aggregate(filter)
		}
		if a.Count == 0 {
			ok = fail(t, run, w, "p(%g) of %s: no samples", p, subName(metric, filter)) && ok
			continue
		}
		v := a.Quantile(p / 100)
		if v >= limit {
			ok = fail(t, run, w, "p(%g) of %s is %.4g%s, limit <%g%s (avg %.4g%s, max %.4g%s, %d samples)",
				p, subName(metric, filter), v, unit, limit, unit, a.Avg(), unit, a.Max, unit, a.Count) && ok
		}
	}
	return ok
}

// Tail compares what an average-based and a percentile-based SLO say about
// the same samples.
type Tail struct {
	Metric              string
	Filter              metrics.Tags
	Count               uint64
	Avg, AvgLimit       float64
	P                   float64 // the percentile, 0–100
	Percentile, PLimit  float64
	AvgOk, PercentileOk bool
}

// Hidden is true when the average looks fine while the tail breaches:
// seed 002's "SLO violated for a week without alerting".
func (tl Tail) Hidden() bool { return tl.AvgOk && !tl.PercentileOk }

// String describes both verdicts.
func (tl Tail) String() string {
	verdict := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "BREACHED"
	}
	s := fmt.Sprintf("%s over %d samples: avg %.4g (limit %g) %s; p(%g) %.4g (limit %g) %s",
		subName(tl.Metric, tl.Filter), tl.Count, tl.Avg, tl.AvgLimit, verdict(tl.AvgOk),
		tl.P, tl.Percentile, tl.PLimit, verdict(tl.PercentileOk))
	if tl.Hidden() {
		s += " — the average hides a tail breach"
	}
	return s
}

// TailHiddenByAverage evaluates the same samples against an average limit
// and a percentile limit (both strict "<", like k6's avg<X and p(P)<Y).
func TailHiddenByAverage(run *harness.Run, metric string, filter metrics.Tags, avgLimit, pLimit, p float64) (Tail, error) {
	m, err := metricOf(run.Metrics, metric)
	if err != nil {
		return Tail{}, err
	}
	if m.Type != metrics.Trend {
		return Tail{}, fmt.Errorf("metric %s is a %s, not a trend", metric, m.Type)
	}
	if p <= 0 || p >= 100 {
		return Tail{}, fmt.Errorf("percentile %g: must be in (0, 100)", p)
	}
	a := m.Aggregate(filter)
	if a.Count == 0 {
		return Tail{}, fmt.Errorf("%s has no samples", subName(metric, filter))
	}
	tl := Tail{Metric: metric, Filter: filter, Count: a.Count, Avg: a.Avg(), AvgLimit: avgLimit,
		P: p, Percentile: a.Quantile(p / 100), PLimit: pLimit}
	tl.AvgOk, tl.PercentileOk = tl.Avg < avgLimit, tl.Percentile < pLimit
	return tl, nil
}
