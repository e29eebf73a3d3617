package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gameday-dev/gameday/harness"
)

// File names Write creates in its directory.
const (
	SummaryFile = "summary.json"
	JUnitFile   = "junit.xml"
	HTMLFile    = "report.html"
)

// Report is everything one invocation found.
type Report struct {
	Title     string
	Scenarios []Scenario
}

// Scenario is one scenario's verdict and the run it judged.
type Scenario struct {
	Name string
	// Verdict is harness.Pass, harness.Fail (an SLO gate broke) or
	// harness.Error (the gate could not run; Error says why).
	Verdict harness.Verdict
	// Failures are the SLO assertions' messages, as a Recorder collected
	// them. On a passing scenario they are the violations it was expected
	// to show (an unfixed half proving the incident), not failures.
	Failures []string
	Error    string       // why the scenario could not be judged (Verdict Error)
	Run      *harness.Run // nil when the scenario could not run
	Measured []Measure
}

// Passed reports whether the scenario passed.
func (s Scenario) Passed() bool { return s.Verdict == harness.Pass }

// Measure is one number a scenario reports, with what it was held against.
type Measure struct {
	Name     string // "recovery after product-catalog"
	Value    string // "3.2s"
	Expected string // "≤ 10s"; "" when only informative
	Margin   string // how far Value is from the bound on the good side ("6.8s (68%)"); "" when not computed
	Failed   bool   // the value missed Expected
}

// Counts returns how many scenarios passed, failed and errored.
func (r Report) Counts() (passed, failed, errored int) {
	for _, s := range r.Scenarios {
		switch s.Verdict {
		case harness.Pass:
			passed++
		case harness.Fail:
			failed++
		default:
			errored++
		}
	}
	return passed, failed, errored
}

// Verdict is the report's overall verdict: ERROR when any scenario could
// not be judged, else FAIL when any failed, else PASS (also for no scenario).
func (r Report) Verdict() harness.Verdict {
	_, failed, errored := r.Counts()
	switch {
	case errored > 0:
		return harness.Error
	case failed > 0:
		return harness.Fail
	}
	return harness.Pass
}

// Passed reports whether every scenario passed.
func (r Report) Passed() bool { return r.Verdict() == harness.Pass }

// Validate reports every problem that would make the files ambiguous.
func (r Report) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for i, s := range r.Scenarios {
		switch {
		case s.Name == "":
			errs = append(errs, fmt.Errorf("scenario %d: name is required", i))
		case seen[s.Name]:
			errs = append(errs, fmt.Errorf("scenario %q: name is used twice", s.Name))
		}
		seen[s.Name] = true
		switch s.Verdict {
		case harness.Pass, harness.Fail:
			if s.Error != "" {
				errs = append(errs, fmt.Errorf("scenario %q: an error (%q) needs verdict %q, not %q", s.Name, s.Error, harness.Error, s.Verdict))
			}
		case harness.Error:
			if s.Error == "" {
				errs = append(errs, fmt.Errorf("scenario %q: verdict %q needs an Error saying why", s.Name, s.Verdict))
			}
		default:
			errs = append(errs, fmt.Errorf("scenario %q: verdict %q: want pass, fail or error", s.Name, s.Verdict))
		}
		if s.Run != nil && s.Run.Metrics == nil {
			errs = append(errs, fmt.Errorf("scenario %q: run has no metrics", s.Name))
		}
	}
	return errors.Join(errs...)
}

// Write creates dir if needed and writes summary.json, junit.xml and
// report.html into it.
func Write(dir string, r Report) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	files := []struct {
		name   string
		render func() ([]byte, error)
	}{
		{SummaryFile, func() ([]byte, error) { return SummaryJSON(r) }},
		{JUnitFile, func() ([]byte, error) { return JUnitXML(r) }},
		{HTMLFile, func() ([]byte, error) { return HTML(r) }},
	}
	for _, f := range files {
		b, err := f.render()
		if err != nil {
			return fmt.Errorf("render %s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	return nil
}
