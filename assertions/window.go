package assertions

import (
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// A WindowOption chooses a span of the run to evaluate in. Assertions that
// take several evaluate each window separately; none means the whole run.
type WindowOption func(run *harness.Run) (Window, error)

// Window is a span [From, To) of a run, with a label for messages.
type Window struct {
	Label    string
	From, To time.Time
}

// Selectors of timeline windows, as taken by Before, During and After:
//
//	"" or "*"       every fault and flag window
//	"flag:KEY"      the windows where flag KEY was changed
//	"phase:NAME"    phase windows with that target or name
//	"TARGET"        fault windows injected into service TARGET, or the window with that ID
const (
	AnyFault    = "*"
	flagPrefix  = "flag:"
	phasePrefix = "phase:"
)

// Disruptions returns the timeline windows sel matches, in start order.
func Disruptions(run *harness.Run, sel string) []timeline.Window {
	if run == nil || run.Timeline == nil {
		return nil
	}
	var out []timeline.Window
	for _, w := range run.Timeline.Windows() {
		if matchWindow(w, sel) {
			out = append(out, w)
		}
	}
	return out
}

func matchWindow(w timeline.Window, sel string) bool {
	switch {
	case sel == "" || sel == AnyFault:
		return w.Kind == timeline.FaultInject || w.Kind == timeline.FlagSet
	case strings.HasPrefix(sel, flagPrefix):
		return w.Kind == timeline.FlagSet && w.Target == strings.TrimPrefix(sel, flagPrefix)
	case strings.HasPrefix(sel, phasePrefix):
		n := strings.TrimPrefix(sel, phasePrefix)
		return w.Kind == timeline.Phase && (w.Target == n || w.Name == n)
	}
	return w.ID == sel || w.Kind == timeline.FaultInject && w.Target == sel
}

// span returns the earliest start and the latest end of the windows sel matches.
func span(run *harness.Run, sel string) (from, to time.Time, err error) {
	ws := Disruptions(run, sel)
	if len(ws) == 0 {
		return from, to, fmt.Errorf("no fault or flag window on the timeline matches %q", sel)
	}
	from, to = ws[0].Start, ws[0].End
	for _, w := range ws[1:] {
		if w.Start.Before(from) {
			from = w.Start
		}
		if w.End.After(to) {
			to = w.End
		}
	}
	// a window still open when the run ended ends with the run
	if !run.End.IsZero() && to.After(run.End) {
		to = run.End
	}
	return from, to, nil
}

// Before is the run from its start to the first window sel matches.
func Before(sel string) WindowOption {
	return func(run *harness.Run) (Window, error) {
		from, _, err := span(run, sel)
		return Window{Label: "before " + selName(sel), From: run.Start, To: from}, err
	}
}

// During spans from the first window sel matches to the end of the last
// one (a single span, so gaps between repeated injections count too).
func During(sel string) WindowOption {
	return func(run *harness.Run) (Window, error) {
		from, to, err := span(run, sel)
		return Window{Label: "during " + selName(sel), From: from, To: to}, err
	}
}

// After is the run from the end of the last window sel matches to its end.
func After(sel string) WindowOption {
	return func(run *harness.Run) (Window, error) {
		_, to, err := span(run, sel)
		return Window{Label: "after " + selName(sel), From: to, To: run.End}, err
	}
}

// Between is the span [from, to) in absolute time.
func Between(from, to time.Time) WindowOption {
	return func(run *harness.Run) (Window, error) {
		if !to.After(from) {
			return Window{}, fmt.Errorf("window end %s is not after its start %s", to, from)
		}
		return Window{Label: "between", From: from, To: to}, nil
	}
}

// Offsets is the span [from, to) measured from the run's start.
func Offsets(from, to time.Duration) WindowOption {
	return func(run *harness.Run) (Window, error) {
		w, err := Between(run.Start.Add(from), run.Start.Add(to))(run)
		w.Label = "between"
		return w, err
	}
}

// WholeRun is the span [run.Start, run.End).
func WholeRun() WindowOption {
	return func(run *harness.Run) (Window, error) {
		return Window{Label: "whole run", From: run.Start, To: run.End}, nil
	}
}

func selName(sel string) string {
	if sel == "" || sel == AnyFault {
		return "any fault"
	}
	return sel
}

// resolve turns options into windows; no option means the whole run.
func resolve(run *harness.Run, opts []WindowOption) ([]Window, error) {
	if len(opts) == 0 {
		opts = []WindowOption{WholeRun()}
	}
	out := make([]Window, 0, len(opts))
	for _, o := range opts {
		w, err := o(run)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}
