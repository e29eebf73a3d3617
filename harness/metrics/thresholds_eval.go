package metrics

import (
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Evaluate judges every expression of the set and returns one result per
// expression, in the set's order (by metric selector, then as written).
// It is the one evaluator for both uses:
//
//   - the whole run, when from and to are both zero: exact count, sum,
//     min, max and HDR percentiles (3 significant digits); a counter's rate
//     divides by the run's length (see SetRun);
//   - a window [from, to), e.g. the last 30 s of a live run, evaluated
//     every second: per-second resolution (a sample counts when its second
//     starts inside the window), percentiles within 0.5%; a counter's rate
//     divides by to-from.
//
// A gauge, rate or trend whose (sub)metric has no samples in the span
// fails with NoSamples set, unless its config allows no samples. The
// memory an evaluation uses does not grow with the number of samples.
func (ts *ThresholdSet) Evaluate(from, to time.Time) []ThresholdResult {
	whole := from.IsZero() && to.IsZero()
	span := to.Sub(from)
	if whole {
		span = ts.runLength()
	}
	ts.evalMu.Lock()
	defer ts.evalMu.Unlock()
	aggs := make(map[*source]Aggregate, len(ts.sources))
	out := make([]ThresholdResult, 0, len(ts.items))
	for _, t := range ts.items {
		agg, ok := aggs[t.src]
		if !ok {
			agg = t.src.collect(whole, from, to)
			aggs[t.src] = agg
		}
		out = append(out, t.judge(agg, span))
	}
	return out
}

// collect aggregates the source over the whole run or [from, to).
func (s *source) collect(whole bool, from, to time.Time) Aggregate {
	if !whole {
		return s.metric.window(s.filter, from, to, s.hist)
	}
	into := Aggregate{Type: s.metric.Type}
	s.metric.collect(&into, s.filter, false)
	if !s.hist || s.metric.Type != Trend || into.Count == 0 {
		return into
	}
	// the distribution is needed and there is one: a second pass, so the
	// histogram and the stats come from the same samples
	if s.scratch == nil {
		s.scratch = hdr.New(1, hdrMax, hdrSigFig)
	}
	s.scratch.Reset()
	into = Aggregate{Type: s.metric.Type, hdr: s.scratch}
	s.metric.collect(&into, s.filter, true)
	return into
}

// CheckAbort judges the abortOnFail expressions over the run so far,
// elapsed long, as the run's monitor does once per second. An expression
// is judged only once elapsed is past its delayAbortEval, and not while
// its value is undefined (no samples yet: the end-of-run verdict says so).
// It reports whether the run must stop, and the results that fired.
func (ts *ThresholdSet) CheckAbort(elapsed time.Duration) (bool, []ThresholdResult) {
	var fired []ThresholdResult
	for _, t := range ts.items {
		if !t.cfg.AbortOnFail || elapsed <= t.cfg.DelayAbortEval {
			continue
		}
		ts.evalMu.Lock()
		res := t.judge(t.src.collect(true, time.Time{}, time.Time{}), elapsed)
		ts.evalMu.Unlock()
		if res.Ok || res.NoSamples {
			continue
		}
		res.Aborted = true
		fired = append(fired, res)
	}
	return len(fired) > 0, fired
}

func (ts *ThresholdSet) runLength() time.Duration {
	ts.mu.Lock()
	start, end := ts.start, ts.end
	ts.mu.Unlock()
	if start.IsZero() {
		start = ts.reg.Start()
	}
	if end.IsZero() {
		end = time.Now()
	}
	return end.Sub(start)
}

// judge computes the expression's value over agg and compares it.
func (t *threshold) judge(agg Aggregate, span time.Duration) ThresholdResult {
	res := ThresholdResult{Metric: t.metricSrc, Source: t.cfg.Threshold, AbortOnFail: t.cfg.AbortOnFail,
		AllowNoSamples: t.cfg.AllowNoSamples}
	v, ok := t.expr.Aggregation.Value(agg, span)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		res.NoSamples = true
		res.Ok = t.cfg.AllowNoSamples
		return res
	}
	res.Value = v
	res.Ok = t.expr.Holds(v)
	return res
}
