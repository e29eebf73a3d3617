package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
)

//go:embed assets/chart.min.js assets/report.js assets/report.html.tmpl
var assets embed.FS

var page = template.Must(template.ParseFS(assets, "assets/report.html.tmpl"))

// pageData feeds the template; Data is the JSON the page's script plots.
type pageData struct {
	Title     string
	Verdict   string // PASS, FAIL or ERROR
	Passed    bool
	Failed    int
	Errors    int
	Scenarios []pageScenario
	ChartJS   template.JS
	ReportJS  template.JS
	Data      template.JS
}

type pageScenario struct {
	ID         string                    `json:"id"`
	Name       string                    `json:"name"`
	Passed     bool                      `json:"passed"`
	Verdict    string                    `json:"verdict"` // PASS, FAIL or ERROR
	Class      string                    `json:"-"`       // the CSS class of the verdict
	Error      string                    `json:"-"`
	Expected   bool                      `json:"-"` // Failures are expected violations
	Duration   string                    `json:"-"`
	Target     string                    `json:"-"`
	Seconds    float64                   `json:"duration"`
	HasRun     bool                      `json:"-"`
	Failures   []string                  `json:"-"`
	Measured   []Measure                 `json:"-"`
	Charts     []chartData               `json:"charts"`
	Windows    []shade                   `json:"windows"`
	Marks      []mark                    `json:"marks"`
	Thresholds []metrics.ThresholdResult `json:"-"`
	Edges      []pageEdge                `json:"-"`
}

type pageEdge struct {
	edgeRow
	OutcomeText string
}

// HTML renders report.html with Chart.js inlined.
func HTML(r Report) ([]byte, error) {
	lib, err := assets.ReadFile("assets/chart.min.js")
	if err != nil {
		return nil, err
	}
	return renderHTML(r, string(lib))
}

// renderHTML renders the page with lib as the chart library's source (the
// golden test passes a placeholder to keep its file small).
func renderHTML(r Report, lib string) ([]byte, error) {
	js, err := assets.ReadFile("assets/report.js")
	if err != nil {
		return nil, err
	}
	_, failed, errored := r.Counts()
	pd := pageData{Title: r.Title, Verdict: r.Verdict().Word(), Passed: r.Passed(), Failed: failed, Errors: errored,
		ChartJS: template.JS(lib), ReportJS: template.JS(js)}
	if pd.Title == "" {
		pd.Title = "gameday report"
	}
	for i, s := range r.Scenarios {
		ps := pageScenario{ID: fmt.Sprintf("s%d", i), Name: s.Name, Passed: s.Passed(),
			Verdict: s.Verdict.Word(), Class: verdictClass(s.Verdict), Error: s.Error,
			Expected: s.Passed() && len(s.Failures) > 0, Failures: s.Failures, Measured: s.Measured, Duration: "—"}
		if run := s.Run; run != nil {
			ps.HasRun, ps.Target = true, run.Target
			ps.Seconds = round3(run.Duration().Seconds())
			ps.Duration = run.Duration().Round(100 * time.Millisecond).String()
			ps.Charts = charts(ps.ID, run)
			ps.Windows, ps.Marks = shades(run)
			ps.Thresholds = run.Thresholds
			for _, e := range edgeRows(run) {
				ps.Edges = append(ps.Edges, pageEdge{edgeRow: e, OutcomeText: outcomes(e.Outcomes)})
			}
		}
		pd.Scenarios = append(pd.Scenarios, ps)
	}
	data, err := json.Marshal(map[string]any{"title": pd.Title, "scenarios": pd.Scenarios})
	if err != nil {
		return nil, err
	}
	pd.Data = template.JS(data) // json.Marshal escapes <, > and &, so it cannot close the script
	var buf bytes.Buffer
	if err := page.Execute(&buf, pd); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func outcomes(m map[string]uint64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// verdictClass is the page's CSS class for a verdict.
func verdictClass(v harness.Verdict) string {
	switch v {
	case harness.Pass:
		return "pass"
	case harness.Fail:
		return "fail"
	}
	return "error"
}
