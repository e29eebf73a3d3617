package assertions

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/stretchr/testify/assert"
)

// BurnAlert is one multi-window burn-rate alert: it fires when the error
// budget burns at Factor times the sustainable rate over both the Long and
// the Short window (the short one makes the alert reset quickly).
type BurnAlert struct {
	Severity string
	Factor   float64
	Long     time.Duration // in production time; scaled by BurnPolicy.Scale
	Short    time.Duration
}

// WorkbookAlerts are the paging alerts the SRE workbook ("Alerting on SLOs",
// recommended multiwindow, multi-burn-rate parameters) gives for a 30-day
// SLO: 2% of the budget in 1 hour (14.4×, 5 min short window) and 5% in 6
// hours (6×, 30 min). Its ticket alert (10% in 3 days, 1×) needs days.
var WorkbookAlerts = []BurnAlert{
	{Severity: "page", Factor: 14.4, Long: time.Hour, Short: 5 * time.Minute},
	{Severity: "page", Factor: 6, Long: 6 * time.Hour, Short: 30 * time.Minute},
}

// DefaultSLOPeriod is the workbook's SLO period: 30 days.
const DefaultSLOPeriod = 30 * 24 * time.Hour

// BurnPolicy scales the workbook's alerts to a run that lasts seconds.
type BurnPolicy struct {
	// Period is the SLO period whose budget is spent. Default DefaultSLOPeriod.
	Period time.Duration
	// Alerts to evaluate. Default WorkbookAlerts.
	Alerts []BurnAlert
	// Scale is how many seconds of production time one second of the run
	// stands for. Default: the longest alert's Long window divided by the
	// run's length, so the slowest alert's long window spans the whole run
	// (a 60 s run stands for 6 h: 1 h → 10 s, 5 min → 1 s, 30 min → 5 s).
	// Scaled windows are rounded to whole seconds, at least 1 s.
	Scale float64
}

// Validate reports every problem with the policy.
func (p BurnPolicy) Validate() error {
	var errs []error
	if p.Period < 0 {
		errs = append(errs, fmt.Errorf("period %s: must not be negative", p.Period))
	}
	if p.Scale < 0 || math.IsNaN(p.Scale) {
		errs = append(errs, fmt.Errorf("scale %v: must not be negative", p.Scale))
	}
	for i, a := range p.Alerts {
		if a.Factor <= 0 || a.Long <= 0 || a.Short <= 0 || a.Short > a.Long {
			errs = append(errs, fmt.Errorf("alert %d: need factor > 0 and 0 < short ≤ long", i))
		}
	}
	return errors.Join(errs...)
}

func (p BurnPolicy) withDefaults(run time.Duration) BurnPolicy {
	if p.Period == 0 {
		p.Period = DefaultSLOPeriod
	}
	if len(p.Alerts) == 0 {
		p.Alerts = WorkbookAlerts
	}
	if p.Scale == 0 && run > 0 {
		var longest time.Duration
		for _, a := range p.Alerts {
			longest = max(longest, a.Long)
		}
		p.Scale = longest.Seconds() / run.Seconds()
	}
	return p
}

// AlertResult is one alert's outcome over the run.
type AlertResult struct {
	BurnAlert
	LongWindow, ShortWindow time.Duration // scaled to run time
	Fired                   bool
	At                      time.Time // end of the first window pair that fired
	// LongBurn and ShortBurn are the burn rates when it fired, or, when it
	// did not, at the instant closest to firing (highest min(long, short)).
	LongBurn, ShortBurn float64
}

// Burn is an SLO's error-budget spend over a run.
type Burn struct {
	SLO            SLO
	Policy         BurnPolicy // with defaults filled in
	Good, Total    uint64
	Rate           float64 // burn rate over the whole run: error rate / (1 − objective)
	BudgetConsumed float64 // share of Period's budget the run spent, as Scale·duration of production
	Alerts         []AlertResult
}

// BurnRate measures how fast a run burns the SLO's error budget and which
// multi-window alerts of the policy fire.
func BurnRate(run *harness.Run, slo SLO, policy BurnPolicy) (Burn, error) {
	if err := errors.Join(slo.Validate(), policy.Validate()); err != nil {
		return Burn{}, err
	}
	first, last := run.Metrics.Start(), run.Duration()
	policy = policy.withDefaults(last)
	out := Burn{SLO: slo, Policy: policy}
	good, total, err := slo.perSecond(run)
	if err != nil {
		return out, err
	}
	lo := secIndex(first, run.Start)
	hi := max(lo, secIndex(first, run.End))
	cg, ct := prefix(good, hi), prefix(total, hi)
	out.Good, out.Total = cg[hi]-cg[lo], ct[hi]-ct[lo]
	budget := 1 - slo.Objective
	out.Rate = burnOf(out.Good, out.Total, budget)
	out.BudgetConsumed = out.Rate * policy.Scale * run.Duration().Seconds() / policy.Period.Seconds()
	for _, a := range policy.Alerts {
		r := AlertResult{BurnAlert: a}
		long := scaleSecs(a.Long, policy.Scale, hi-lo)
		short := min(scaleSecs(a.Short, policy.Scale, hi-lo), long)
		r.LongWindow, r.ShortWindow = time.Duration(long)*time.Second, time.Duration(short)*time.Second
		best := -1.0
		for end := lo + long; end <= hi && long > 0; end++ {
			lb := burnOf(cg[end]-cg[end-long], ct[end]-ct[end-long], budget)
			sb := burnOf(cg[end]-cg[end-short], ct[end]-ct[end-short], budget)
			if m := math.Min(lb, sb); m > best {
				best, r.LongBurn, r.ShortBurn = m, lb, sb
			}
			if atLeast(lb, a.Factor) && atLeast(sb, a.Factor) {
				r.Fired, r.At, r.LongBurn, r.ShortBurn = true, first.Add(time.Duration(end)*time.Second), lb, sb
				break
			}
		}
		out.Alerts = append(out.Alerts, r)
	}
	return out, nil
}

// BurnRateBelow asserts that no alert of the policy fires during the run:
// the error budget never burns at an alert's factor over both its windows.
func BurnRateBelow(t assert.TestingT, run *harness.Run, slo SLO, policy BurnPolicy) bool {
	helper(t)
	b, err := BurnRate(run, slo, policy)
	if err != nil {
		return broken(t, "burn rate of "+slo.String(), err)
	}
	ok := true
	for _, a := range b.Alerts {
		if !a.Fired {
			continue
		}
		w := Window{Label: "alert windows", From: a.At.Add(-a.LongWindow), To: a.At}
		ok = fail(t, run, w, "slo %s: %s alert fired at %s: burn rate %.3g over %s (≙ %s) and %.3g over %s (≙ %s), limit %g×; whole run burned %.3g× (%s of the %s budget, run ≙ %s)",
			slo, a.Severity, rel(run, a.At), a.LongBurn, a.LongWindow, a.Long, a.ShortBurn, a.ShortWindow, a.Short,
			a.Factor, b.Rate, fmtPct(b.BudgetConsumed), b.Policy.Period, scaledRun(run, b.Policy)) && ok
	}
	return ok
}

// BudgetBelow asserts that the run spent at most share (0–1) of the SLO
// period's error budget, with the run standing for Scale times its length.
func BudgetBelow(t assert.TestingT, run *harness.Run, slo SLO, share float64, policy BurnPolicy) bool {
	helper(t)
	b, err := BurnRate(run, slo, policy)
	if err != nil {
		return broken(t, "error budget of "+slo.String(), err)
	}
	if b.BudgetConsumed <= share {
		return true
	}
	return fail(t, run, Window{Label: "whole run", From: run.Start, To: run.End},
		"slo %s: run spent %s of the %s error budget (burn rate %.3g×, %d bad of %d, run ≙ %s), limit %s",
		slo, fmtPct(b.BudgetConsumed), b.Policy.Period, b.Rate, b.Total-b.Good, b.Total, scaledRun(run, b.Policy), fmtPct(share))
}

func scaledRun(run *harness.Run, p BurnPolicy) time.Duration {
	return time.Duration(float64(run.Duration()) * p.Scale).Round(time.Second)
}

func burnOf(good, total uint64, budget float64) float64 {
	if total == 0 {
		return 0
	}
	return float64(total-good) / float64(total) / budget
}

// atLeast compares with a relative tolerance, so 1.44% errors against a
// 0.1% budget counts as the 14.4× the workbook's tables are worked at.
func atLeast(v, limit float64) bool { return v >= limit*(1-1e-9) }

func scaleSecs(d time.Duration, scale float64, limit int) int {
	s := int(math.Round(d.Seconds() / scale))
	return min(max(s, 1), limit)
}

func secIndex(start, t time.Time) int {
	return max(0, int(t.Sub(start)/time.Second))
}

// prefix returns cumulative sums of v over [0, n]: out[i] = v[0]+…+v[i-1].
func prefix(v []uint64, n int) []uint64 {
	out := make([]uint64, n+1)
	for i := 0; i < n; i++ {
		out[i+1] = out[i]
		if i < len(v) {
			out[i+1] += v[i]
		}
	}
	return out
}
