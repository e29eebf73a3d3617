package slo

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Alert is one multi-window burn-rate alert: it fires when the error budget
// burns at Factor times the sustainable rate over both the Long and the
// Short window (the short one makes the alert reset quickly).
type Alert struct {
	Severity string
	Factor   float64
	Long     time.Duration // in production time; scaled by Policy.Scale
	Short    time.Duration
}

// WorkbookAlerts are the paging alerts the SRE workbook ("Alerting on SLOs",
// recommended multiwindow, multi-burn-rate parameters) gives for a 30-day
// SLO: 2% of the budget in 1 hour (14.4×, 5 min short window) and 5% in 6
// hours (6×, 30 min). Its ticket alert (10% in 3 days, 1×) needs days.
var WorkbookAlerts = []Alert{
	{Severity: "page", Factor: 14.4, Long: time.Hour, Short: 5 * time.Minute},
	{Severity: "page", Factor: 6, Long: 6 * time.Hour, Short: 30 * time.Minute},
}

// DefaultPeriod is the workbook's SLO period: 30 days.
const DefaultPeriod = 30 * 24 * time.Hour

// Policy scales the workbook's alerts to a run that lasts seconds.
type Policy struct {
	// Period is the SLO period whose budget is spent. Default DefaultPeriod.
	Period time.Duration
	// Alerts to evaluate. Default WorkbookAlerts.
	Alerts []Alert
	// Scale is how many seconds of production time one second of the run
	// stands for. Default: the longest alert's Long window divided by the
	// run's length, so the slowest alert's long window spans the whole run
	// (a 60 s run stands for 6 h: 1 h → 10 s, 5 min → 1 s, 30 min → 5 s).
	// Scaled windows are rounded to whole seconds, at least 1 s.
	Scale float64
}

// Validate reports every problem with the policy.
func (p Policy) Validate() error {
	var errs []error
	if p.Period < 0 {
		errs = append(errs, fmt.Errorf("period %s: must not be negative", p.Period))
	}
	if p.Scale < 0 || math.IsNaN(p.Scale) || math.IsInf(p.Scale, 0) {
		errs = append(errs, fmt.Errorf("scale %v: must be a non-negative number", p.Scale))
	}
	for i, a := range p.Alerts {
		if !(a.Factor > 0) || a.Long <= 0 || a.Short <= 0 || a.Short > a.Long {
			errs = append(errs, fmt.Errorf("alert %d: need factor > 0 and 0 < short ≤ long", i))
		}
	}
	return errors.Join(errs...)
}

// WithDefaults fills in Period, Alerts and, for a run of length span, Scale.
func (p Policy) WithDefaults(span time.Duration) Policy {
	if p.Period == 0 {
		p.Period = DefaultPeriod
	}
	if len(p.Alerts) == 0 {
		p.Alerts = WorkbookAlerts
	}
	if p.Scale == 0 && span > 0 {
		var longest time.Duration
		for _, a := range p.Alerts {
			longest = max(longest, a.Long)
		}
		p.Scale = longest.Seconds() / span.Seconds()
	}
	return p
}

// Windows returns an alert's long and short windows in whole run seconds
// under the policy's Scale, each at least 1 and at most limit (limit ≤ 0:
// no upper bound).
func (p Policy) Windows(a Alert, limit int) (long, short int) {
	long = scaleSecs(a.Long, p.Scale, limit)
	short = min(scaleSecs(a.Short, p.Scale, limit), long)
	return long, short
}

// Budget is the share of the Period's error budget that burning at rate for
// d of run time spends, the run standing for Scale times its length.
func (p Policy) Budget(rate float64, d time.Duration) float64 {
	if p.Period <= 0 {
		return 0
	}
	return rate * p.Scale * d.Seconds() / p.Period.Seconds()
}

// BurnRate is the error rate of good out of total events divided by the
// error budget (1 − objective): 1 spends the budget exactly over the period.
// No events burn nothing.
func BurnRate(good, total uint64, budget float64) float64 {
	if total == 0 || good >= total {
		return 0
	}
	return float64(total-good) / float64(total) / budget
}

// AtLeast compares a burn rate with a factor with a relative tolerance, so
// 1.44% errors against a 0.1% budget counts as the 14.4× the workbook's
// tables are worked at.
func AtLeast(v, limit float64) bool { return v >= limit*(1-1e-9) }

// Cumulative holds running totals of good and all events per second: index
// i is the count before second i, so second i's events are [i+1] − [i].
type Cumulative struct {
	Good, Total []uint64
}

// Prefix returns the cumulative sums of per-second good and total counts
// over seconds [0, n).
func Prefix(good, total []uint64, n int) Cumulative {
	return Cumulative{Good: PrefixSums(good, n), Total: PrefixSums(total, n)}
}

// Len is the number of whole seconds covered.
func (c Cumulative) Len() int { return len(c.Total) - 1 }

// Burn is the burn rate over seconds [from, to).
func (c Cumulative) Burn(from, to int, budget float64) float64 {
	return BurnRate(c.Good[to]-c.Good[from], c.Total[to]-c.Total[from], budget)
}

// WindowBurn evaluates alert a's scaled windows ending at second end: the
// long and short burn rates and whether both reach the factor. Windows are
// clipped at second lo (the start of what is watched), so a live evaluation
// judges a young run on the seconds it has.
func (c Cumulative) WindowBurn(a Alert, long, short, lo, end int, budget float64) (lb, sb float64, fired bool) {
	lb = c.Burn(max(lo, end-long), end, budget)
	sb = c.Burn(max(lo, end-short), end, budget)
	return lb, sb, AtLeast(lb, a.Factor) && AtLeast(sb, a.Factor)
}

func scaleSecs(d time.Duration, scale float64, limit int) int {
	s := 1
	if scale > 0 {
		s = max(int(math.Round(d.Seconds()/scale)), 1)
	}
	if limit > 0 {
		s = min(s, limit)
	}
	return s
}

// PrefixSums returns cumulative sums of v over [0, n]: out[i] = v[0]+…+v[i-1].
func PrefixSums(v []uint64, n int) []uint64 {
	out := make([]uint64, n+1)
	for i := 0; i < n; i++ {
		out[i+1] = out[i]
		if i < len(v) {
			out[i+1] += v[i]
		}
	}
	return out
}
