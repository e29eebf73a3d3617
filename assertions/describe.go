package assertions

import (
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/timeline"
	"github.com/stretchr/testify/assert"
)

// rel formats t as an offset from the run's start: "12.0s".
func rel(run *harness.Run, t time.Time) string {
	return fmt.Sprintf("%.1fs", t.Sub(run.Start).Seconds())
}

// Describe reads like "during product-catalog [10.0s–40.0s]".
func (w Window) Describe(run *harness.Run) string {
	return fmt.Sprintf("%s [%s–%s]", w.Label, rel(run, w.From), rel(run, w.To))
}

// ActiveDuring lists the fault, flag and lifecycle windows and events that
// overlap [from, to), for failure messages: "fault.inject product-catalog
// http: delay 900ms [10.0s–40.0s]; target.oom checkout at 31.2s", or "none".
func ActiveDuring(run *harness.Run, from, to time.Time) string {
	if run == nil || run.Timeline == nil {
		return "none"
	}
	var parts []string
	for _, w := range run.Timeline.Active(from, to) {
		if w.Kind == timeline.Phase {
			continue
		}
		end := rel(run, w.End)
		if w.Open {
			end = "open"
		}
		parts = append(parts, fmt.Sprintf("%s [%s–%s]", strings.TrimSpace(w.String()), rel(run, w.Start), end))
	}
	for _, ev := range run.Timeline.Events() {
		if ev.ID != "" || ev.Time.Before(from) || !ev.Time.Before(to) {
			continue
		}
		switch ev.Kind {
		case timeline.TargetKill, timeline.TargetOOM, timeline.TargetRestart, timeline.TargetStart:
			parts = append(parts, fmt.Sprintf("%s %s at %s", ev.Kind, ev.Target, rel(run, ev.Time)))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}

// fail reports one failure: what, measured where, and what was active then.
func fail(t assert.TestingT, run *harness.Run, w Window, format string, args ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	msg := fmt.Sprintf("%s; window %s; active: %s", fmt.Sprintf(format, args...), w.Describe(run), ActiveDuring(run, w.From, w.To))
	t.Errorf("%s", msg)
	harness.MarkSLOFailure(t, msg) // an SLO broke: FAIL, not ERROR
	return false
}

// broken reports an assertion that could not be evaluated at all: an error
// of the test (ERROR), not a broken SLO.
func broken(t assert.TestingT, what string, err error) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	t.Errorf("%s: %v", what, err)
	return false
}

func helper(t assert.TestingT) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
}
