package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
)

// EnvDir names the directory where Main writes a test package's gate
// report. Unset, Main only runs the tests.
const EnvDir = "GAMEDAY_REPORT"

// TestRunner is what Main needs from *testing.M.
type TestRunner interface{ Run() int }

// Main runs a package's tests (from TestMain) and, when $GAMEDAY_REPORT
// names a directory, writes the same summary.json, junit.xml and
// report.html as `gameday run` for them, with the same verdicts:
//
//	func TestMain(m *testing.M) { os.Exit(report.Main(m)) }
//
// Each test that started a system (harness.Start) or waited for a load
// run is one scenario (one per load run when it waited for several): PASS
// when it passed, FAIL when it failed and SLO judgements (the assertions
// package) say why, ERROR when it failed another way (setup, start, a
// harness error). A failing test binary whose tests did not use the
// harness adds one ERROR scenario, so the report never passes a failed
// run. Skipped tests are left out.
//
// The files go into $GAMEDAY_REPORT/<package path in its module>, so that
// `go test ./resilience/...` (one binary per package) keeps each
// package's; a package at the module's root writes into the directory
// itself. A test binary that dies (a panic, -timeout) writes nothing: a
// gate must treat a missing summary.json as an error.
func Main(m TestRunner) int {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		return m.Run()
	}
	stop := harness.RecordTests()
	began := time.Now()
	code := m.Run()
	recs := stop()
	out := filepath.Join(dir, packageDir())
	rep := FromTests(fmt.Sprintf("go test %s %s", packageDir(), began.UTC().Format(time.RFC3339)), recs, code)
	if err := Write(out, rep); err != nil {
		fmt.Fprintf(os.Stderr, "gameday report: %v\n", err)
		if code == 0 {
			code = 2
		}
		return code
	}
	p, f, e := rep.Counts()
	fmt.Fprintf(os.Stderr, "gameday report: %s — %d passed, %d failed, %d error(s): %s\n",
		rep.Verdict().Word(), p, f, e, filepath.Join(out, HTMLFile))
	if code == 0 && !rep.Passed() {
		code = 1 // cannot happen unless a verdict and the test result disagree; never pass then
	}
	return code
}

// FromTests turns recorded tests into a report. code is the test binary's
// result: a non-zero code with no failing record adds an ERROR scenario.
func FromTests(title string, recs []harness.TestRecord, code int) Report {
	r := Report{Title: title}
	seen := map[string]int{}
	for _, rec := range recs {
		if rec.Skipped {
			continue
		}
		sc := Scenario{Verdict: rec.Verdict, Failures: rec.SLOFailures}
		if rec.Verdict == harness.Error {
			sc.Error = "the test failed outside its SLO judgements (setup, start, a harness error): see the go test output"
		}
		runs := rec.Runs
		if len(runs) == 0 {
			runs = []*harness.Run{nil}
		}
		for i, run := range runs {
			s := sc
			s.Name, s.Run = rec.Name, run
			if len(runs) > 1 {
				s.Name = fmt.Sprintf("%s#%d", rec.Name, i+1)
			}
			if n := seen[s.Name]; n > 0 { // the same test name twice (-count)
				s.Name = fmt.Sprintf("%s (%d)", s.Name, n+1)
			}
			seen[s.Name]++
			r.Scenarios = append(r.Scenarios, s)
		}
	}
	if code != 0 && r.Passed() {
		r.Scenarios = append(r.Scenarios, Scenario{Name: "go test", Verdict: harness.Error,
			Error: fmt.Sprintf("the test binary failed (exit %d) in tests that did not use the harness: see the go test output", code)})
	}
	return r
}

// packageDir is the test package's directory relative to its module's
// root (go test runs a package's binary in its source directory), "" at
// the root or when no go.mod is found.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			rel, err := filepath.Rel(d, wd)
			if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
				return ""
			}
			return rel
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
