package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/report"
	"github.com/gameday-dev/gameday/scenarios"
)

// fakeRun is a finished run with no samples.
func fakeRun() *harness.Run {
	now := time.Now()
	return &harness.Run{Name: "fake", Target: "test", Start: now, End: now.Add(time.Second), Metrics: metrics.NewRegistry(now)}
}

// fake is a scenario whose halves do what play says and whose SLO is
// violated where violated says.
func fake(name string, play func(t harness.T, c scenarios.Config) *scenarios.Outcome, violated map[scenarios.Half]bool) scenarios.Scenario {
	return scenarios.Scenario{Name: name, Play: play,
		Judge: func(t assert.TestingT, c scenarios.Config, o *scenarios.Outcome) {
			if violated[c.Half] {
				t.Errorf("threshold http_req_failed: rate<0.01 failed: measured 0.5")
			}
		}}
}

func played(t harness.T, c scenarios.Config) *scenarios.Outcome {
	return &scenarios.Outcome{Run: fakeRun()}
}

var (
	// the incident shows unfixed and the fix holds: PASS, PASS
	good = fake("good", played, map[scenarios.Half]bool{scenarios.Unfixed: true})
	// the fix does not hold: PASS, FAIL
	broken = fake("broken", played, map[scenarios.Half]bool{scenarios.Unfixed: true, scenarios.Fixed: true})
	// no teeth: the unfixed half holds its SLO: FAIL
	toothless = fake("toothless", played, nil)
	// the system never started: ERROR (the harness calls t.Fatalf)
	nostart = fake("nostart", func(t harness.T, c scenarios.Config) *scenarios.Outcome {
		t.Fatalf("harness: start demo: target docker: no docker engine answers")
		return nil
	}, map[scenarios.Half]bool{scenarios.Unfixed: true})
	// a harness bug: ERROR
	panics = fake("panics", func(t harness.T, c scenarios.Config) *scenarios.Outcome {
		var m map[string]int
		m["x"]++
		return nil
	}, nil)
	// a cleanup (a fault's revert) fails after an SLO verdict: ERROR
	badCleanup = fake("bad-cleanup", func(t harness.T, c scenarios.Config) *scenarios.Outcome {
		t.Cleanup(func() { t.Errorf("revert fault on payment: connection refused") })
		return &scenarios.Outcome{Run: fakeRun()}
	}, map[scenarios.Half]bool{scenarios.Unfixed: true})
	// runs until interrupted, then returns what it has
	waits = fake("waits", func(t harness.T, c scenarios.Config) *scenarios.Outcome {
		<-t.Context().Done()
		return &scenarios.Outcome{Run: fakeRun()} // partial: must not be judged
	}, map[scenarios.Half]bool{scenarios.Unfixed: true})
)

// withCatalogue makes `gameday run` pick from these scenarios.
func withCatalogue(t *testing.T, all ...scenarios.Scenario) {
	t.Helper()
	prev := selectScenarios
	selectScenarios = func(names []string) ([]scenarios.Scenario, error) {
		if len(names) == 0 {
			return all, nil
		}
		var out []scenarios.Scenario
		for _, s := range all {
			for _, n := range names {
				if s.Name == n {
					out = append(out, s)
				}
			}
		}
		return out, nil
	}
	t.Cleanup(func() { selectScenarios = prev })
}

// gateFiles reads what --report wrote.
type gateFiles struct {
	summary struct {
		Verdict   string
		Passed    bool
		Scenarios []struct{ Name, Verdict, Error string }
	}
	junit struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	html string
}

func readGate(t *testing.T, dir string) gateFiles {
	t.Helper()
	var g gateFiles
	b, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g.summary); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(dir, report.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &g.junit); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(dir, report.HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	g.html = string(b)
	return g
}

// Every exit path of `gameday run`, and the same verdict in every file.
func TestRunExitCodes(t *testing.T) {
	withCatalogue(t, good, broken, toothless, nostart, panics, badCleanup)
	for _, c := range []struct {
		only    string
		code    int
		verdict string // summary.json's
		line    string // in stdout
		fails   int    // junit.xml failures, errors
		errs    int
	}{
		{"good", exitOK, "pass", "2 passed, 0 failed, 0 error(s)", 0, 0},
		{"broken", exitGate, "fail", "1 passed, 1 failed, 0 error(s)", 2, 0},
		{"toothless", exitGate, "fail", "no teeth", 2, 0},
		{"nostart", exitUsage, "error", "no docker engine answers", 0, 2},
		{"panics", exitUsage, "error", "panic: assignment to entry in nil map", 0, 2},
		{"bad-cleanup", exitUsage, "error", "revert fault on payment", 0, 2},
		{"good,broken,nostart", exitUsage, "error", "3 passed, 1 failed, 2 error(s)", 2, 2},
	} {
		t.Run(c.only, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := cli(t.Context(), "run", "--only", c.only, "--report", dir)
			if code != c.code || !strings.Contains(stdout, c.line) {
				t.Fatalf("exit %d (want %d); stdout lacks %q:\n%s\n%s", code, c.code, c.line, stdout, stderr)
			}
			g := readGate(t, dir)
			if g.summary.Verdict != c.verdict || g.summary.Passed != (c.code == exitOK) {
				t.Errorf("summary.json verdict %q passed %v, want %q", g.summary.Verdict, g.summary.Passed, c.verdict)
			}
			if g.junit.Failures != c.fails || g.junit.Errors != c.errs {
				t.Errorf("junit.xml failures %d errors %d, want %d, %d", g.junit.Failures, g.junit.Errors, c.fails, c.errs)
			}
			if want := `id="verdict">` + strings.ToUpper(c.verdict) + "<"; !strings.Contains(g.html, want) {
				t.Errorf("report.html lacks %q", want)
			}
			if c.verdict == "error" && strings.Contains(stdout, "SLO violated") && !strings.Contains(c.only, ",") {
				t.Errorf("a half that could not run is printed as an SLO verdict:\n%s", stdout)
			}
		})
	}
}

// An interrupted run exits 2, and no artifact says PASS for a half that
// was cut short: it is ERROR (interrupted), not judged on partial data.
func TestRunInterrupted(t *testing.T) {
	withCatalogue(t, waits)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(300*time.Millisecond, cancel)
	dir := t.TempDir()
	code, stdout, stderr := cli(ctx, "run", "--report", dir)
	if code != exitUsage || !strings.Contains(stderr, "interrupted") {
		t.Fatalf("exit %d, stderr %q; want 2 and interrupted", code, stderr)
	}
	if strings.Contains(stdout, "PASS") || !strings.Contains(stdout, "0 passed, 0 failed, 2 error(s)") {
		t.Errorf("stdout:\n%s", stdout)
	}
	g := readGate(t, dir)
	if g.summary.Passed || g.summary.Verdict != "error" || g.junit.Errors != 2 || strings.Contains(g.html, ">PASS<") {
		t.Errorf("artifacts: summary %+v, junit %+v", g.summary, g.junit)
	}
	for _, s := range g.summary.Scenarios {
		if s.Verdict != "error" || !strings.Contains(s.Error, "interrupted") {
			t.Errorf("%s: verdict %q error %q, want error/interrupted", s.Name, s.Verdict, s.Error)
		}
	}
}

// The report directory cannot be created: exit 2 before anything runs.
func TestRunReportDirUnusable(t *testing.T) {
	withCatalogue(t, good)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t.Context(), "run", "--report", file)
	if code != exitUsage || strings.Contains(stdout, "started") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// The cases with the real catalogue: a missing Chromium and a
// missing Docker engine are ERROR (exit 2), never "SLO violated".
func TestRunMissingDependencyIsError(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the embedded demo shop")
	}
	for _, c := range []struct {
		env, val string
		args     []string
		want     string
	}{
		{"CHROME_PATH", "/nonexistent/chromium", []string{"--only", "image-slow-load", "--halves", "fixed"}, "browser pool"},
		{"DOCKER_HOST", "unix:///nonexistent.sock", []string{"--only", "payment-failure", "--target", "docker"}, "docker"},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, c.val)
			code, stdout, stderr := cli(t.Context(), append([]string{"run", "--short"}, c.args...)...)
			if code != exitUsage || strings.Contains(stdout, "SLO violated") || strings.Contains(stdout, "FAIL") ||
				!strings.Contains(stdout, "ERROR") || !strings.Contains(stdout, c.want) {
				t.Errorf("exit %d; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		})
	}
}
