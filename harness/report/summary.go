package report

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// summaryFile is summary.json: gameday's verdicts around one k6
// handleSummary-shaped object per scenario.
type summaryFile struct {
	Title string `json:"title"`
	// Verdict is "pass", "fail" (an SLO gate broke) or "error" (the gate
	// could not run); Passed is Verdict == "pass".
	Verdict   string            `json:"verdict"`
	Passed    bool              `json:"passed"`
	Counts    summaryCounts     `json:"counts"`
	Scenarios []summaryScenario `json:"scenarios"`
}

type summaryCounts struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
	Errors int `json:"errors"`
}

type summaryScenario struct {
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
	Passed  bool   `json:"passed"`
	Error   string `json:"error,omitempty"`
	// Failures are the SLO messages; on a passing scenario they are the
	// violations it was expected to show (ExpectedViolations true).
	Failures           []string          `json:"failures"`
	ExpectedViolations bool              `json:"expectedViolations,omitempty"`
	Measured           []summaryMeasure  `json:"measured,omitempty"`
	Run                *summaryRun       `json:"run,omitempty"`
	Timeline           []timeline.Window `json:"timeline,omitempty"`
	Edges              []edgeRow         `json:"edges,omitempty"`
	K6                 json.RawMessage   `json:"summary,omitempty"` // k6's handleSummary data
}

type summaryMeasure struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Expected string `json:"expected,omitempty"`
	Margin   string `json:"margin,omitempty"`
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
	p, f, e := r.Counts()
	out := summaryFile{Title: r.Title, Verdict: string(r.Verdict()), Passed: r.Passed(),
		Counts: summaryCounts{Passed: p, Failed: f, Errors: e}, Scenarios: []summaryScenario{}}
	for _, s := range r.Scenarios {
		ss := summaryScenario{Name: s.Name, Verdict: string(s.Verdict), Passed: s.Passed(), Error: s.Error,
			Failures: append([]string{}, s.Failures...), ExpectedViolations: s.Passed() && len(s.Failures) > 0}
		for _, m := range s.Measured {
			ss.Measured = append(ss.Measured, summaryMeasure(m))
		}
		if run := s.Run; run != nil {
			ss.Run = &summaryRun{Name: run.Name, Target: run.Target, Start: run.Start, End: run.End, Aborted: run.Aborted}
			if run.Timeline != nil {
				ss.Timeline = run.Timeline.Windows()
			}
			ss.Edges = edgeRows(run)
			k6, err := k6Summary(run)
			if err != nil {
				return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
			}
			ss.K6 = k6
		}
		out.Scenarios = append(out.Scenarios, ss)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// k6Summary is the data k6 passes to handleSummary, as the load engine
// renders it (load.SummaryJSON): one k6 shape for the console summary and
// the report.
func k6Summary(run *harness.Run) (json.RawMessage, error) {
	return load.SummaryJSON(&load.Result{Start: run.Start, End: run.End, Registry: run.Metrics,
		Thresholds: run.Thresholds, Aborted: run.Aborted})
}
