package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/report"
)

// junitCounts reads the totals and each testcase's failure/error state.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Name      string    `xml:"name,attr"`
			Failure   *struct{} `xml:"failure"`
			Error     *struct{} `xml:"error"`
			SystemOut string    `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type summaryDoc struct {
	Verdict   string
	Passed    bool
	Counts    struct{ Passed, Failed, Errors int }
	Scenarios []struct {
		Name, Verdict, Error string
		Passed               bool
		ExpectedViolations   bool
	}
}

// writeAll writes r and reads back its three files.
func writeAll(t *testing.T, r report.Report) (summaryDoc, junitDoc, []byte) {
	t.Helper()
	dir := t.TempDir()
	if err := report.Write(dir, r); err != nil {
		t.Fatal(err)
	}
	var s summaryDoc
	var j junitDoc
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if err := json.Unmarshal(read(report.SummaryFile), &s); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(read(report.JUnitFile), &j); err != nil {
		t.Fatal(err)
	}
	return s, j, read(report.HTMLFile)
}

// An unfixed half that shows its expected violation is a pass in every
// file: no failure element in junit.xml, "pass" in summary.json and PASS in
// report.html, its violations told as expected.
func TestExpectedViolationIsAPassEverywhere(t *testing.T) {
	var run *harness.Run
	synctest.Test(t, func(t *testing.T) { run = slowCatalogRun(t) }) // its thresholds failed
	r := report.Report{Title: "gate", Scenarios: []report.Scenario{
		{Name: "payment-failure/unfixed", Verdict: harness.Pass, Run: run,
			Failures: []string{"threshold checks{check:checkout_ok_or_graceful}: rate>0.99 failed: measured 0.51"},
			Measured: []report.Measure{{Name: "failed checkouts", Value: "49.0%", Expected: "50.0% ±7 points", Margin: "6 points"}}},
		{Name: "payment-failure/fixed", Verdict: harness.Pass,
			Measured: []report.Measure{{Name: "checkouts ok or graceful", Value: "100%", Expected: "> 99%", Margin: "1 point"}}},
	}}
	s, j, html := writeAll(t, r)
	if s.Verdict != "pass" || !s.Passed || s.Counts.Passed != 2 || !s.Scenarios[0].ExpectedViolations {
		t.Errorf("summary.json %+v", s)
	}
	if j.Failures != 0 || j.Errors != 0 {
		t.Errorf("junit.xml: %d failures, %d errors for a passing run", j.Failures, j.Errors)
	}
	if out := j.Suites[0].Cases[0].SystemOut; !bytes.Contains([]byte(out), []byte("expected violation")) {
		t.Errorf("the unfixed verdict's system-out %q does not tell the expected violation", out)
	}
	for _, want := range []string{`id="verdict">PASS<`, "Expected violations", "margin"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if bytes.Contains(html, []byte(">FAIL<")) || bytes.Contains(html, []byte(">ERROR<")) {
		t.Error("report.html shows FAIL or ERROR for a passing run")
	}
}

// A half that could not run is ERROR in every file, with nothing judged:
// one <error> testcase, "error" in summary.json, ERROR in report.html, and
// the report's verdict is error even beside a failure.
func TestErrorIsNotAFailure(t *testing.T) {
	testStart := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := metrics.NewRegistry(testStart)
	r := report.Report{Title: "gate", Scenarios: []report.Scenario{
		{Name: "image-slow-load/fixed", Verdict: harness.Error, Error: "browser pool: no chromium executable found"},
		{Name: "payment-failure/fixed", Verdict: harness.Fail, Failures: []string{"threshold http_req_failed: rate<0.01 failed"},
			Run: &harness.Run{Name: "x", Start: testStart, End: testStart, Metrics: reg}},
		{Name: "payment-failure/unfixed", Verdict: harness.Error, Error: "interrupted: context canceled"},
	}}
	s, j, html := writeAll(t, r)
	if s.Verdict != "error" || s.Passed || s.Counts != (struct{ Passed, Failed, Errors int }{0, 1, 2}) {
		t.Errorf("summary.json verdict %q passed %v counts %+v", s.Verdict, s.Passed, s.Counts)
	}
	if s.Scenarios[2].Verdict != "error" || s.Scenarios[2].Passed || s.Scenarios[2].Error == "" {
		t.Errorf("interrupted half in summary.json: %+v", s.Scenarios[2])
	}
	if j.Errors != 2 || j.Failures != 2 { // fixed: verdict + 1 assertion
		t.Errorf("junit.xml: %d errors, %d failures; want 2, 2", j.Errors, j.Failures)
	}
	if e := j.Suites[0]; len(e.Cases) != 1 || e.Cases[0].Error == nil || e.Cases[0].Failure != nil {
		t.Errorf("ERROR suite %+v: want one testcase with an error element", e)
	}
	for _, want := range []string{`id="verdict">ERROR<`, "Could not run", "interrupted: context canceled", "2 could not run (ERROR)"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

func TestValidateVerdicts(t *testing.T) {
	for _, s := range []report.Scenario{
		{Name: "a"},                                    // no verdict
		{Name: "b", Verdict: "maybe"},                  // unknown
		{Name: "c", Verdict: harness.Error},            // error without why
		{Name: "d", Verdict: harness.Pass, Error: "x"}, // why without error
	} {
		if err := (report.Report{Scenarios: []report.Scenario{s}}).Validate(); err == nil {
			t.Errorf("%+v: want a validation error", s)
		}
	}
}
