package metrics

import (
	"math"
	"sort"
	"time"

	k6metrics "go.k6.io/k6/metrics"
)

// quantileGridSize is the resolution of the trend sink fed to k6's
// evaluator for med and p(N): k6 interpolates at index pct*(count-1), so
// with 10001 values p(N) with up to two decimals lands exactly on
// Aggregate.Quantile(N/100).
const quantileGridSize = 10000

// Evaluate runs every expression with k6's evaluator over [from, to) (per
// second resolution), or over the whole run when both are zero. A counter's
// rate divides by the window's length (the run's for the whole run).
func (ts *ThresholdSet) Evaluate(from, to time.Time) []ThresholdResult {
	whole := from.IsZero() && to.IsZero()
	dur := to.Sub(from)
	if whole {
		dur = ts.runLength()
	}
	out := make([]ThresholdResult, 0, len(ts.items))
	for _, t := range ts.items {
		var agg Aggregate
		if whole {
			agg = t.metric.Aggregate(t.filter)
		} else {
			agg = t.metric.Window(t.filter, from, to)
		}
		res, _ := ts.run(t, agg, dur, dur)
		out = append(out, res)
	}
	return out
}

// CheckAbort evaluates the abortOnFail expressions over the run so far,
// skipping metrics without samples (as k6 does mid-run). It reports whether
// the run must stop, and the results of the expressions that fired.
func (ts *ThresholdSet) CheckAbort(elapsed time.Duration) (bool, []ThresholdResult) {
	var fired []ThresholdResult
	for _, t := range ts.items {
		if !t.cfg.AbortOnFail {
			continue
		}
		agg := t.metric.Aggregate(t.filter)
		if agg.Count == 0 {
			continue
		}
		res, abort := ts.run(t, agg, elapsed, elapsed)
		if abort {
			res.Aborted = true
			fired = append(fired, res)
		}
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

// run feeds one expression's k6 Thresholds a sink built from agg.
func (ts *ThresholdSet) run(t *threshold, agg Aggregate, dur, elapsed time.Duration) (ThresholdResult, bool) {
	sink, value := t.sink(agg, dur)
	res := ThresholdResult{Metric: t.metricSrc, Source: t.cfg.Threshold, Value: value, AbortOnFail: t.cfg.AbortOnFail}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t.k6.Abort = false
	ok, err := t.k6.Run(sink, elapsed)
	res.Ok = ok && err == nil
	return res, t.k6.Abort
}

// sink builds the k6 sink this expression reads, and the value it compares.
func (t *threshold) sink(a Aggregate, dur time.Duration) (k6metrics.Sink, float64) {
	switch t.metric.Type {
	case Counter:
		s := &k6metrics.CounterSink{Value: a.Sum, First: a.LastTime}
		if t.method == "rate" {
			return s, s.Rate(dur)
		}
		return s, s.Value
	case Gauge:
		s := &k6metrics.GaugeSink{}
		if a.Count > 0 {
			s.Add(k6metrics.Sample{Time: a.LastTime, Value: a.Last})
		}
		return s, s.Value
	case Rate:
		s := &k6metrics.RateSink{Trues: int64(a.Trues), Total: int64(a.Count)}
		return s, a.Rate()
	}
	s := k6metrics.NewTrendSink()
	if a.Count == 0 {
		return s, 0
	}
	switch t.method {
	case "avg", "min", "max":
		v := map[string]float64{"avg": a.Avg(), "min": a.Min, "max": a.Max}[t.method]
		s.Add(k6metrics.Sample{Value: v})
		return s, v
	}
	for _, v := range a.quantileGrid(quantileGridSize) {
		s.Add(k6metrics.Sample{Value: v})
	}
	if t.method == "med" {
		return s, s.P(0.5)
	}
	return s, s.P(t.pct / 100)
}

// quantileGrid returns Quantile(i/n) for i in 0..n in one pass over the
// histogram instead of n+1 scans.
func (a *Aggregate) quantileGrid(n int) []float64 {
	out := make([]float64, n+1)
	if a.Count == 0 {
		return out
	}
	qs := make([]float64, n+1)
	for i := range qs {
		qs[i] = float64(i) / float64(n)
	}
	switch {
	case a.hdr != nil:
		pcts := make([]float64, len(qs))
		for i, q := range qs {
			pcts[i] = q * 100
		}
		for i, v := range a.hdr.ValueAtPercentilesSlice(pcts) {
			out[i] = float64(v) / hdrScale
		}
	case a.sparse != nil:
		a.sparse.quantiles(qs, a.Count, out)
	default:
		for i := range out {
			out[i] = a.Avg()
		}
	}
	out[0], out[n] = a.Min, a.Max
	for i := range out {
		out[i] = math.Min(math.Max(out[i], a.Min), a.Max)
	}
	return out
}

// quantiles is quantile for ascending qs, written into out, in one walk.
func (h sparseHist) quantiles(qs []float64, count uint64, out []float64) {
	keys := make([]int32, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var seen uint64
	ki := -1
	for i, q := range qs {
		rank := uint64(math.Ceil(q * float64(count)))
		if rank == 0 {
			rank = 1
		}
		for seen < rank && ki+1 < len(keys) {
			ki++
			seen += uint64(h[keys[ki]])
		}
		switch {
		case ki < 0 || seen < rank:
			out[i] = 0
		case keys[ki] == zeroBucket:
			out[i] = 0
		default:
			out[i] = math.Exp((float64(keys[ki]) - 0.5) * logGamma)
		}
	}
}
