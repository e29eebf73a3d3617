package assertions

import (
	"github.com/gameday-dev/gameday/harness"
	"github.com/stretchr/testify/assert"
)

// SteadyState asserts Chaos Toolkit's steady-state hypothesis: every probe
// holds before the first fault or flag window of the run and again after
// the last one ends. A probe with no data in a window fails.
func SteadyState(t assert.TestingT, run *harness.Run, probes ...Probe) bool {
	helper(t)
	before, err := Before(AnyFault)(run)
	if err != nil {
		return broken(t, "steady state", err)
	}
	after, err := After(AnyFault)(run)
	if err != nil {
		return broken(t, "steady state", err)
	}
	before.Label, after.Label = "steady state before the first fault", "steady state after the last revert"
	ok := true
	for _, w := range []Window{before, after} {
		for _, p := range probes {
			held, measured, err := p.Check(run, w.From, w.To)
			if err != nil {
				return broken(t, "steady state probe "+p.String(), err)
			}
			if !held {
				ok = fail(t, run, w, "probe %s did not hold: %s", p, measured) && ok
			}
		}
	}
	return ok
}
