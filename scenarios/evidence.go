package scenarios

import (
	"fmt"
	"math"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// minTrafficShare is the share of its scheduled requests a half must have
// completed for its verdict to count: the proof that the half had real
// traffic. Fewer means the load never reached the system (a starved
// generator, a dead frontend: a handful of requests, or none) and an SLO
// "held" on a handful of samples proves nothing — nor does a violation on
// none. It is not a check that the machine reached the scheduled rate: a
// loaded runner completes fewer requests (payment-failure's checkouts were
// 25% of the schedule at load average 20), and an unfixed half's own
// collapse holds requests past the end of the run (cascading-circuit-
// breaker's queued currency lookups: 47% of the schedule on a quiet
// machine). A half whose statistic needs more samples than a quarter of
// its schedule sets its own floor (image-slow-load: every page load's LCP).
const minTrafficShare = 0.25

// Floor is the least number of samples a metric (under a tag filter) must
// hold for a half to be judged on it.
type Floor struct {
	Metric string
	Filter metrics.Tags
	Min    uint64
	What   string // "recommendations", for the measure's name
}

// Scheduled adds a floor of minTrafficShare of n scheduled requests named
// name (http_req_duration{name}).
func (o *Outcome) Scheduled(name string, n int) {
	o.Floors = append(o.Floors, Floor{Metric: metrics.HTTPReqDuration, Filter: metrics.Tags{"name": name},
		Min: uint64(math.Ceil(minTrafficShare * float64(n))), What: name + " requests"})
}

// checkFloors measures each floor; one not reached fails the half.
func (o *Outcome) checkFloors() {
	for _, f := range o.Floors {
		var n uint64
		if m := o.Run.Metrics.Metric(f.Metric); m != nil {
			n = m.Aggregate(f.Filter).Count
		}
		o.AtLeast("traffic: "+f.What, float64(n), float64(f.Min), inCount, true) // proof the half had traffic
	}
}

// Scale is how a measured value and its margin print.
type Scale struct {
	value, diff func(float64) string
	share       bool // append the margin as a share of the bound
}

var (
	inMS    = Scale{ms, ms, true}
	inRate  = Scale{pct, points, false} // a margin between shares is in points
	inCount = Scale{count, count, true}
	inNum   = Scale{num, num, true}
	inKiB   = Scale{kib, kib, true}
)

// Below records value against an upper bound (value < bound holds) with
// its margin: how far it sits from the bound on the good side (negative
// past it). strict makes the measure itself fail the half when it does
// not hold (otherwise an SLO assertion judges it).
func (o *Outcome) Below(name string, value, bound float64, sc Scale, strict bool) bool {
	ok := value < bound
	o.add(name, sc.value(value), "< "+sc.value(bound), margin(bound-value, bound, sc), ok, strict)
	return ok
}

// AtMost records value against an inclusive upper bound (value ≤ bound holds).
func (o *Outcome) AtMost(name string, value, bound float64, sc Scale, strict bool) bool {
	ok := value <= bound
	o.add(name, sc.value(value), "≤ "+sc.value(bound), margin(bound-value, bound, sc), ok, strict)
	return ok
}

// AtLeast records value against a lower bound (value ≥ bound holds).
func (o *Outcome) AtLeast(name string, value, bound float64, sc Scale, strict bool) bool {
	ok := value >= bound
	o.add(name, sc.value(value), "≥ "+sc.value(bound), margin(value-bound, bound, sc), ok, strict)
	return ok
}

// Above records value against a bound it must exceed (value > bound holds).
func (o *Outcome) Above(name string, value, bound float64, sc Scale, strict bool) bool {
	ok := value > bound
	o.add(name, sc.value(value), "> "+sc.value(bound), margin(value-bound, bound, sc), ok, strict)
	return ok
}

func (o *Outcome) add(name, value, expected, margin string, ok, strict bool) {
	o.Measure(name, value, expected, ok || !strict)
	o.Measured[len(o.Measured)-1].Margin = margin
}

// margin is d (positive: on the good side) in the scale's unit, and as a
// share of the bound where that reads well: "+1315ms (53%)", "-85ms (3%)",
// "+4.4 points".
func margin(d, bound float64, sc Scale) string {
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	share := ""
	if sc.share && bound != 0 {
		share = fmt.Sprintf(" (%.0f%%)", 100*math.Abs(d/bound))
	}
	return sign + sc.diff(math.Abs(d)) + share
}

// points formats a difference of shares in percentage points.
func points(v float64) string { return fmt.Sprintf("%.1f points", 100*v) }

// count formats a whole number.
func count(v float64) string { return fmt.Sprintf("%.0f", v) }

// kib formats bytes in KiB.
func kib(v float64) string { return fmt.Sprintf("%.0f KiB", v/1024) }

// num formats a plain count or ratio.
func num(v float64) string { return fmt.Sprintf("%.3g", v) }
