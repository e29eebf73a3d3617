package report

import (
	"crypto/md5"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// summaryTrendStats are k6's default summaryTrendStats.
var summaryTrendStats = []string{"avg", "min", "med", "max", "p(90)", "p(95)"}

// summaryFile is summary.json: gameday's verdicts around one k6
// handleSummary-shaped object per scenario.
type summaryFile struct {
	Title     string            `json:"title"`
	Passed    bool              `json:"passed"`
	Scenarios []summaryScenario `json:"scenarios"`
}

type summaryScenario struct {
	Name     string            `json:"name"`
	Passed   bool              `json:"passed"`
	Failures []string          `json:"failures"`
	Measured []summaryMeasure  `json:"measured,omitempty"`
	Run      *summaryRun       `json:"run,omitempty"`
	Timeline []timeline.Window `json:"timeline,omitempty"`
	Edges    []edgeRow         `json:"edges,omitempty"`
	K6       map[string]any    `json:"summary,omitempty"` // k6's handleSummary data
}

type summaryMeasure struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Expected string `json:"expected,omitempty"`
	Failed   bool   `json:"failed,omitempty"`
}

type summaryRun struct {
	Name    string    `json:"name"`
	Target  string    `json:"target,omitempty"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Aborted bool      `json:"aborted,omitempty"`
}

// SummaryJSON renders summary.json.
func SummaryJSON(r Report) ([]byte, error) {
	out := summaryFile{Title: r.Title, Passed: r.Passed(), Scenarios: []summaryScenario{}}
	for _, s := range r.Scenarios {
		ss := summaryScenario{Name: s.Name, Passed: s.Passed, Failures: append([]string{}, s.Failures...)}
		for _, m := range s.Measured {
			ss.Measured = append(ss.Measured, summaryMeasure(m))
		}
		if run := s.Run; run != nil {
			ss.Run = &summaryRun{Name: run.Name, Target: run.Target, Start: run.Start, End: run.End, Aborted: run.Aborted}
			if run.Timeline != nil {
				ss.Timeline = run.Timeline.Windows()
			}
			ss.Edges = edgeRows(run)
			ss.K6 = K6Summary(run)
		}
		out.Scenarios = append(out.Scenarios, ss)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// K6Summary is the data k6 passes to handleSummary, built from a run:
// root_group (with the checks), options, state and metrics, where a metric
// with thresholds lists them, and each thresholded submetric
// ("http_req_duration{name:cart}") appears under its own key.
func K6Summary(run *harness.Run) map[string]any {
	dur := run.Duration()
	mets := map[string]any{}
	thresholds := map[string]map[string]any{}
	for _, t := range run.Thresholds {
		if thresholds[t.Metric] == nil {
			thresholds[t.Metric] = map[string]any{}
		}
		thresholds[t.Metric][t.Source] = map[string]any{"ok": t.Ok}
	}
	for _, m := range run.Metrics.Metrics() {
		a := m.Aggregate(nil)
		if a.Count == 0 && thresholds[m.Name] == nil {
			continue
		}
		mets[m.Name] = k6Metric(m, a, dur, thresholds[m.Name])
	}
	for key, th := range thresholds {
		name, filter, ok := splitSubmetric(key)
		if !ok || len(filter) == 0 {
			continue
		}
		if m := run.Metrics.Metric(name); m != nil {
			mets[key] = k6Metric(m, m.Aggregate(filter), dur, th)
		}
	}
	return map[string]any{
		"root_group": map[string]any{"name": "", "path": "", "id": k6ID(""), "groups": []any{}, "checks": k6Checks(run)},
		"options":    map[string]any{"summaryTrendStats": summaryTrendStats, "summaryTimeUnit": "", "noColor": false},
		"state":      map[string]any{"isStdOutTTY": false, "isStdErrTTY": false, "testRunDurationMs": float64(dur) / float64(time.Millisecond)},
		"metrics":    mets,
	}
}

func k6Metric(m *metrics.Metric, a metrics.Aggregate, dur time.Duration, th map[string]any) map[string]any {
	var values map[string]float64
	switch m.Type {
	case metrics.Counter:
		rate := 0.0
		if dur > 0 {
			rate = a.Sum / dur.Seconds()
		}
		values = map[string]float64{"count": a.Sum, "rate": rate}
	case metrics.Gauge:
		values = map[string]float64{"value": a.Last, "min": a.Min, "max": a.Max}
	case metrics.Rate:
		values = map[string]float64{"rate": a.Rate(), "passes": float64(a.Trues), "fails": float64(a.Count - a.Trues)}
	case metrics.Trend:
		values = map[string]float64{"avg": a.Avg(), "min": a.Min, "med": a.Quantile(0.5), "max": a.Max,
			"p(90)": a.Quantile(0.90), "p(95)": a.Quantile(0.95)}
	}
	out := map[string]any{"type": m.Type.String(), "contains": m.ValueType.String(), "values": values}
	if th != nil {
		out["thresholds"] = th
	}
	return out
}

// k6Checks lists the checks metric per "check" tag, as k6's root group does.
func k6Checks(run *harness.Run) []any {
	m := run.Metrics.Metric(metrics.Checks)
	if m == nil {
		return []any{}
	}
	byName := map[string]*[2]uint64{}
	var names []string
	for _, s := range m.AllSeries() {
		name := s.Tags["check"]
		a := s.Snapshot()
		if byName[name] == nil {
			byName[name] = &[2]uint64{}
			names = append(names, name)
		}
		byName[name][0] += a.Trues
		byName[name][1] += a.Count - a.Trues
	}
	sort.Strings(names)
	out := []any{}
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "path": "::" + n, "id": k6ID("::" + n),
			"passes": byName[n][0], "fails": byName[n][1]})
	}
	return out
}

// k6ID is how k6 names groups and checks: the md5 of their path.
func k6ID(path string) string { return fmt.Sprintf("%x", md5.Sum([]byte(path))) }

// splitSubmetric parses k6's "metric{tag:value,other:value}".
func splitSubmetric(s string) (string, metrics.Tags, bool) {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return s, nil, true
	}
	if !strings.HasSuffix(s, "}") {
		return "", nil, false
	}
	tags := metrics.Tags{}
	for _, kv := range strings.Split(s[open+1:len(s)-1], ",") {
		k, v, ok := strings.Cut(kv, ":")
		if !ok {
			return "", nil, false
		}
		tags[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return s[:open], tags, true
}
