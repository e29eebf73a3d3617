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
	Name     string
	Passed   bool
	Failures []string     // assertion messages, as a Recorder collected them
	Run      *harness.Run // nil when the scenario could not run
	Measured []Measure
}

// Measure is one number a scenario reports, with what it was held against.
type Measure struct {
	Name     string // "recovery after product-catalog"
	Value    string // "3.2s"
	Expected string // "≤ 10s"; "" when only informative
	Failed   bool   // the value missed Expected
}

// Passed reports whether every scenario passed.
func (r Report) Passed() bool {
	for _, s := range r.Scenarios {
		if !s.Passed {
			return false
		}
	}
	return true
}

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
