package assertions

import (
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/stretchr/testify/assert"
)

// DefaultRecoveryWindow is the sliding window over which the SLO must hold
// again for the system to count as recovered.
const DefaultRecoveryWindow = 5 * time.Second

// Recovery is how long a system took to meet its SLO again after a fault.
type Recovery struct {
	Revert    time.Time     // end of the last window the fault selector matched
	Recovered bool          // false: the SLO never held steadily before the run ended
	At        time.Time     // start of the first healthy sliding window
	Took      time.Duration // At − Revert, at least 0
}

// RecoveryTime finds the first second r at or after the fault's revert such
// that the SLO holds over every sliding window [s, s+window) with s ≥ r that
// fits in the run (recovered and stayed recovered). window 0 means
// DefaultRecoveryWindow. Seconds are the metric store's.
func RecoveryTime(run *harness.Run, fault string, slo SLO, window time.Duration) (Recovery, error) {
	if err := slo.Validate(); err != nil {
		return Recovery{}, err
	}
	if window <= 0 {
		window = DefaultRecoveryWindow
	}
	_, revert, err := span(run, fault)
	if err != nil {
		return Recovery{}, err
	}
	out := Recovery{Revert: revert}
	good, total, err := slo.perSecond(run)
	if err != nil {
		return out, err
	}
	start := run.Metrics.Start()
	lo, hi := secIndex(start, revert), secIndex(start, run.End)
	w := max(1, int(window/time.Second))
	cg, ct := prefix(good, hi), prefix(total, hi)
	holds := func(s int) bool {
		g, n := cg[s+w]-cg[s], ct[s+w]-ct[s]
		return n > 0 && float64(g)/float64(n) >= slo.Objective
	}
	// scan backwards: the earliest r from which every window holds
	r := -1
	for s := hi - w; s >= lo; s-- {
		if !holds(s) {
			break
		}
		r = s
	}
	if r < 0 {
		return out, nil
	}
	out.Recovered, out.At = true, start.Add(time.Duration(r)*time.Second)
	out.Took = max(0, out.At.Sub(revert))
	return out, nil
}

// RecoveredWithin asserts that after fault's revert the SLO holds again,
// over a DefaultRecoveryWindow sliding window, within maxRecovery.
func RecoveredWithin(t assert.TestingT, run *harness.Run, fault string, slo SLO, maxRecovery time.Duration) bool {
	helper(t)
	return RecoveredWithinWindow(t, run, fault, slo, maxRecovery, DefaultRecoveryWindow)
}

// RecoveredWithinWindow is RecoveredWithin with the sliding window's length
// (whole seconds; short runs need a short window).
func RecoveredWithinWindow(t assert.TestingT, run *harness.Run, fault string, slo SLO, maxRecovery, window time.Duration) bool {
	helper(t)
	rec, err := RecoveryTime(run, fault, slo, window)
	if err != nil {
		return broken(t, "recovery of "+slo.String(), err)
	}
	w := Window{Label: "after " + selName(fault), From: rec.Revert, To: run.End}
	switch {
	case !rec.Recovered:
		return fail(t, run, w, "slo %s did not hold over a %s window again before the run ended (%s after the revert at %s), limit %s",
			slo, window, run.End.Sub(rec.Revert).Round(time.Millisecond), rel(run, rec.Revert), maxRecovery)
	case rec.Took > maxRecovery:
		return fail(t, run, w, "slo %s recovered %s after the revert at %s (healthy from %s), limit %s",
			slo, rec.Took.Round(time.Millisecond), rel(run, rec.Revert), rel(run, rec.At), maxRecovery)
	}
	return true
}

// String reads like "recovered 3s after the revert".
func (r Recovery) String() string {
	if !r.Recovered {
		return "not recovered"
	}
	return fmt.Sprintf("recovered %s after the revert", r.Took.Round(time.Millisecond))
}
