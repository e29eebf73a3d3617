package metrics

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The aggregation methods of threshold expressions, by k6's names.
const (
	MethodCount      = "count" // counter: the sum of its samples
	MethodRate       = "rate"  // counter: count per second; rate: share of non-zero samples
	MethodValue      = "value" // gauge: the latest sample
	MethodAvg        = "avg"   // trend: mean
	MethodMin        = "min"   // trend: smallest sample
	MethodMax        = "max"   // trend: largest sample
	MethodMed        = "med"   // trend: median, p(50)
	MethodPercentile = "p"     // trend: p(N), N from 0 to 100
)

// methodsByType is k6's documented table of what each metric type allows.
var methodsByType = map[Type][]string{
	Counter: {MethodCount, MethodRate},
	Gauge:   {MethodValue},
	Rate:    {MethodRate},
	Trend:   {MethodAvg, MethodMin, MethodMax, MethodMed, MethodPercentile},
}

const aggregationHint = "count, rate, value, avg, min, max, med or p(N)"

func isMethod(w string) bool {
	switch w {
	case MethodCount, MethodRate, MethodValue, MethodAvg, MethodMin, MethodMax, MethodMed:
		return true
	}
	return false
}

// Aggregation is the left side of a threshold expression: a method and,
// for p(N), the percentile N.
type Aggregation struct {
	Method     string
	Percentile float64 // N of p(N), from 0 to 100
}

// String is the aggregation as written in an expression: avg, p(99.9).
func (g Aggregation) String() string {
	if g.Method == MethodPercentile {
		return "p(" + formatNumber(g.Percentile) + ")"
	}
	return g.Method
}

// AllowedFor returns nil when a metric of type t can be judged by g, or
// an error that lists what t allows.
func (g Aggregation) AllowedFor(t Type) error {
	allowed := methodsByType[t]
	if slices.Contains(allowed, g.Method) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, m := range allowed {
		names[i] = m
		if m == MethodPercentile {
			names[i] = "p(N)"
		}
	}
	return fmt.Errorf("%s is not an aggregation of a %s metric (a %s allows %s)",
		g, t, t, strings.Join(names, ", "))
}

// needsHistogram reports whether the value needs the distribution, not
// only count, sum, min and max.
func (g Aggregation) needsHistogram() bool {
	return g.Method == MethodMed || g.Method == MethodPercentile
}

// Value computes g over a, the samples of a window span long (span is
// only used by a counter's rate). ok is false when the value is undefined:
// a gauge, rate or trend without samples, or a counter's rate over an
// empty span. A counter without samples is defined: its count is 0.
//
// Count, rate, value, min, max and avg are exact; med and p(N) are the
// nearest-rank percentile (the smallest sample with at least N% of the
// samples at or below it) within the histogram's precision: 3 significant
// digits over the whole run, 0.5% relative error in a window. That is the
// same number the summary and assertions print.
func (g Aggregation) Value(a Aggregate, span time.Duration) (value float64, ok bool) {
	if a.Type == Counter {
		switch g.Method {
		case MethodCount:
			return a.Sum, true
		case MethodRate:
			if span <= 0 {
				return 0, false
			}
			return a.Sum / span.Seconds(), true
		}
		return 0, false
	}
	if a.Count == 0 {
		return 0, false
	}
	switch g.Method {
	case MethodValue:
		return a.Last, a.Type == Gauge
	case MethodRate:
		return a.Rate(), a.Type == Rate
	case MethodAvg:
		return a.Avg(), a.Type == Trend
	case MethodMin:
		return a.Min, a.Type == Trend
	case MethodMax:
		return a.Max, a.Type == Trend
	case MethodMed:
		return a.Quantile(0.5), a.Type == Trend
	case MethodPercentile:
		return a.Quantile(g.Percentile / 100), a.Type == Trend
	}
	return 0, false
}
