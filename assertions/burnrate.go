package assertions

import (
	"errors"
	"math"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/stretchr/testify/assert"
)

// BurnAlert is one multi-window burn-rate alert (see slo.Alert).
type BurnAlert = slo.Alert

// WorkbookAlerts are the SRE workbook's paging alerts (see slo.WorkbookAlerts).
var WorkbookAlerts = slo.WorkbookAlerts

// DefaultSLOPeriod is the workbook's SLO period: 30 days.
const DefaultSLOPeriod = slo.DefaultPeriod

// BurnPolicy scales the workbook's alerts to a run that lasts seconds (see
// slo.Policy). The live evaluator in package slo uses the same arithmetic.
type BurnPolicy = slo.Policy

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
func BurnRate(run *harness.Run, s SLO, policy BurnPolicy) (Burn, error) {
	if err := errors.Join(s.Validate(), policy.Validate()); err != nil {
		return Burn{}, err
	}
	first, last := run.Metrics.Start(), run.Duration()
	policy = policy.WithDefaults(last)
	out := Burn{SLO: s, Policy: policy}
	good, total, err := s.perSecond(run)
	if err != nil {
		return out, err
	}
	lo := secIndex(first, run.Start)
	hi := max(lo, secIndex(first, run.End))
	c := slo.Prefix(good, total, hi)
	out.Good, out.Total = c.Good[hi]-c.Good[lo], c.Total[hi]-c.Total[lo]
	budget := 1 - s.Objective
	out.Rate = c.Burn(lo, hi, budget)
	out.BudgetConsumed = policy.Budget(out.Rate, run.Duration())
	for _, a := range policy.Alerts {
		r := AlertResult{BurnAlert: a}
		if hi == lo {
			out.Alerts = append(out.Alerts, r)
			continue
		}
		long, short := policy.Windows(a, hi-lo)
		r.LongWindow, r.ShortWindow = time.Duration(long)*time.Second, time.Duration(short)*time.Second
		best := -1.0
		// Post-run, an alert is judged on full windows only.
		for end := lo + long; end <= hi; end++ {
			lb, sb, fired := c.WindowBurn(a, long, short, lo, end, budget)
			if m := math.Min(lb, sb); m > best {
				best, r.LongBurn, r.ShortBurn = m, lb, sb
			}
			if fired {
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

func secIndex(start, t time.Time) int {
	return max(0, int(t.Sub(start)/time.Second))
}

// prefix returns cumulative sums of v over [0, n] (see slo.PrefixSums).
func prefix(v []uint64, n int) []uint64 { return slo.PrefixSums(v, n) }
