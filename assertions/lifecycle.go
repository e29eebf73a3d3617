package assertions

import (
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
	"github.com/stretchr/testify/assert"
)

// lifecycleEvents returns the timeline events of kind for target ("" any).
func lifecycleEvents(run *harness.Run, kind, target string) []timeline.Event {
	if run.Timeline == nil {
		return nil
	}
	var out []timeline.Event
	for _, ev := range run.Timeline.Events() {
		if ev.Kind == kind && (target == "" || ev.Target == target) {
			out = append(out, ev)
		}
	}
	return out
}

func eventList(run *harness.Run, evs []timeline.Event) string {
	parts := make([]string, len(evs))
	for i, ev := range evs {
		parts[i] = fmt.Sprintf("%s at %s", ev.Target, rel(run, ev.Time))
	}
	return strings.Join(parts, ", ")
}

// NoOOM asserts that no target (target "" means any) was OOM-killed: no
// target.oom event on the timeline.
func NoOOM(t assert.TestingT, run *harness.Run, target string) bool {
	helper(t)
	evs := lifecycleEvents(run, timeline.TargetOOM, target)
	if len(evs) == 0 {
		return true
	}
	w := Window{Label: "oom", From: evs[0].Time, To: evs[len(evs)-1].Time.Add(1)}
	return fail(t, run, w, "%d OOM kill(s) of %s: %s", len(evs), orAny(target), eventList(run, evs))
}

// RestartsAtMost asserts that target ("" any) restarted at most n times
// (target.restart events).
func RestartsAtMost(t assert.TestingT, run *harness.Run, target string, n int) bool {
	helper(t)
	evs := lifecycleEvents(run, timeline.TargetRestart, target)
	if len(evs) <= n {
		return true
	}
	w := Window{Label: "restarts", From: evs[0].Time, To: evs[len(evs)-1].Time.Add(1)}
	return fail(t, run, w, "%s restarted %d time(s), limit %d: %s", orAny(target), len(evs), n, eventList(run, evs))
}

func orAny(target string) string {
	if target == "" {
		return "any target"
	}
	return target
}

// ConsumerLagAtMost asserts that a gauge of consumer lag (e.g.
// "kafka_consumer_lag", tagged by group and topic) never exceeded max over
// the run: its highest recorded value, per matching series.
func ConsumerLagAtMost(t assert.TestingT, run *harness.Run, metric string, filter metrics.Tags, max float64) bool {
	helper(t)
	m, err := metricOf(run.Metrics, metric)
	if err != nil {
		return broken(t, "consumer lag", err)
	}
	ok, seen := true, false
	for _, s := range m.AllSeries() {
		if !s.Tags.Matches(filter) {
			continue
		}
		seen = true
		a := s.Snapshot()
		if a.Count == 0 || a.Max <= max {
			continue
		}
		from, to := peakWindow(run, m, s.Tags, max)
		ok = fail(t, run, Window{Label: "lag above limit", From: from, To: to},
			"%s peaked at %g (last %g), limit %g", subName(metric, s.Tags), a.Max, a.Last, max) && ok
	}
	if !seen {
		return broken(t, "consumer lag", fmt.Errorf("no series of %s matches %s", metric, filter))
	}
	return ok
}

// peakWindow is the span of seconds where a series' max exceeded limit.
func peakWindow(run *harness.Run, m *metrics.Metric, tags metrics.Tags, limit float64) (from, to time.Time) {
	start := run.Metrics.Start()
	first, last := -1, -1
	for i, a := range m.Seconds(tags) {
		if a.Count > 0 && a.Max > limit {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return run.Start, run.End
	}
	return start.Add(time.Duration(first) * time.Second), start.Add(time.Duration(last+1) * time.Second)
}

// LagAtMost asserts that a lag read by a function (e.g. kadm's group lag
// summed over partitions) is at most max.
func LagAtMost(t assert.TestingT, name string, lag func() (int64, error), max int64) bool {
	helper(t)
	v, err := lag()
	if err != nil {
		return broken(t, "lag of "+name, err)
	}
	if v <= max {
		return true
	}
	msg := fmt.Sprintf("lag of %s is %d, limit %d", name, v, max)
	t.Errorf("%s", msg)
	harness.MarkSLOFailure(t, msg)
	return false
}
