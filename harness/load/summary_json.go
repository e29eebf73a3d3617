package load

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// The shape of k6's handleSummary data, so tools that read k6's JSON
// summary read ours.
type (
	summaryJSON struct {
		RootGroup groupJSON             `json:"root_group"`
		Options   optionsJSON           `json:"options"`
		State     stateJSON             `json:"state"`
		Metrics   map[string]metricJSON `json:"metrics"`
	}
	groupJSON struct {
		Name   string      `json:"name"`
		Path   string      `json:"path"`
		ID     string      `json:"id"`
		Groups []groupJSON `json:"groups"`
		Checks []checkJSON `json:"checks"`
	}
	checkJSON struct {
		Name   string `json:"name"`
		Path   string `json:"path"`
		ID     string `json:"id"`
		Passes uint64 `json:"passes"`
		Fails  uint64 `json:"fails"`
	}
	optionsJSON struct {
		SummaryTrendStats []string `json:"summaryTrendStats"`
		SummaryTimeUnit   string   `json:"summaryTimeUnit"`
		NoColor           bool     `json:"noColor"`
	}
	stateJSON struct {
		IsStdOutTTY       bool    `json:"isStdOutTTY"`
		IsStdErrTTY       bool    `json:"isStdErrTTY"`
		TestRunDurationMs float64 `json:"testRunDurationMs"`
		Aborted           bool    `json:"aborted,omitempty"`
		AbortReason       string  `json:"abortReason,omitempty"`
	}
	metricJSON struct {
		Type       string                      `json:"type"`
		Contains   string                      `json:"contains"`
		Values     map[string]float64          `json:"values"`
		Thresholds map[string]thresholdOutcome `json:"thresholds,omitempty"`
	}
	thresholdOutcome struct {
		Ok bool `json:"ok"`
	}
)

// SummaryJSON renders res like k6's handleSummary data: root_group (with
// checks by group), options, state and metrics with their values and
// threshold outcomes.
func SummaryJSON(res *Result) ([]byte, error) {
	dur := res.End.Sub(res.Start)
	out := summaryJSON{
		RootGroup: checkGroups(res.Registry),
		Options:   optionsJSON{SummaryTrendStats: TrendStats},
		State:     stateJSON{TestRunDurationMs: ms(dur), Aborted: res.Aborted, AbortReason: res.AbortReason},
		Metrics:   map[string]metricJSON{},
	}
	for _, r := range summaryRows(res) {
		mj := metricJSON{Type: r.metric.Type.String(), Contains: r.metric.ValueType.String(), Values: r.values(dur)}
		for _, t := range res.Thresholds {
			if t.Metric == r.name {
				if mj.Thresholds == nil {
					mj.Thresholds = map[string]thresholdOutcome{}
				}
				mj.Thresholds[t.Source] = thresholdOutcome{Ok: t.Ok}
			}
		}
		out.Metrics[r.name] = mj
	}
	return json.MarshalIndent(out, "", "  ")
}

// checkGroups rebuilds k6's group tree from the checks metric's tags.
func checkGroups(reg *metrics.Registry) groupJSON {
	root := groupJSON{ID: groupID(""), Groups: []groupJSON{}, Checks: []checkJSON{}}
	m := reg.Metric(metrics.Checks)
	if m == nil {
		return root
	}
	type key struct{ group, name string }
	counts := map[key]*checkJSON{}
	var order []key
	for _, s := range m.AllSeries() {
		k := key{s.Tags["group"], s.Tags["check"]}
		c := counts[k]
		if c == nil {
			path := k.group + "::" + k.name
			c = &checkJSON{Name: k.name, Path: path, ID: groupID(path)}
			counts[k] = c
			order = append(order, k)
		}
		a := s.Snapshot()
		c.Passes += a.Trues
		c.Fails += a.Count - a.Trues
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].group != order[j].group {
			return order[i].group < order[j].group
		}
		return order[i].name < order[j].name
	})
	for _, k := range order {
		g := &root
		if k.group != "" {
			path := ""
			for _, name := range strings.Split(strings.TrimPrefix(k.group, "::"), "::") {
				path += "::" + name
				g = childGroup(g, name, path)
			}
		}
		g.Checks = append(g.Checks, *counts[k])
	}
	return root
}

func childGroup(g *groupJSON, name, path string) *groupJSON {
	for i := range g.Groups {
		if g.Groups[i].Name == name {
			return &g.Groups[i]
		}
	}
	g.Groups = append(g.Groups, groupJSON{Name: name, Path: path, ID: groupID(path), Groups: []groupJSON{}, Checks: []checkJSON{}})
	return &g.Groups[len(g.Groups)-1]
}

// groupID is k6's id of a group or check: the MD5 of its path.
func groupID(path string) string {
	sum := md5.Sum([]byte(path))
	return hex.EncodeToString(sum[:])
}
