package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update and review the diff)", path)
	}
}

func TestSummaryJSONGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := report.SummaryJSON(sampleReport(t))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "TestSummaryJSON.json", b)

		var doc struct {
			Passed    bool
			Scenarios []struct {
				Name    string
				Passed  bool
				Summary struct {
					State   struct{ TestRunDurationMs float64 }
					Metrics map[string]struct {
						Type, Contains string
						Values         map[string]float64
						Thresholds     map[string]struct{ Ok bool }
					}
				}
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		k6 := doc.Scenarios[0].Summary
		if doc.Passed || k6.State.TestRunDurationMs != 60000 {
			t.Errorf("passed %v, duration %v", doc.Passed, k6.State.TestRunDurationMs)
		}
		reqs := k6.Metrics["http_reqs"]
		if reqs.Type != "counter" || reqs.Values["count"] != 1200 || reqs.Values["rate"] != 20 {
			t.Errorf("http_reqs %+v, want counter 1200 at 20/s", reqs)
		}
		failed := k6.Metrics["http_req_failed"]
		if failed.Values["passes"] != 20 || failed.Values["fails"] != 1180 || failed.Thresholds["rate<0.01"].Ok {
			t.Errorf("http_req_failed %+v", failed)
		}
		sub := k6.Metrics["http_req_duration{name:recommendations}"]
		if sub.Contains != "time" || sub.Values["p(95)"] < 900 || len(sub.Thresholds) != 1 {
			t.Errorf("submetric %+v", sub)
		}
	})
}

func TestJUnitXMLGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := report.JUnitXML(sampleReport(t))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "TestJUnitXML.xml", b)
		var doc struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Suites   []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Name    string `xml:"name,attr"`
					Failure *struct {
						Message string `xml:"message,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		// unfixed: verdict + 3 thresholds + 2 assertions + 1 measure; fixed: verdict + 1 measure;
		// the one that could not run: its verdict, an error
		if doc.Tests != 10 || doc.Failures != 6 || doc.Errors != 1 || len(doc.Suites) != 3 {
			t.Fatalf("tests %d failures %d errors %d suites %d, want 10/6/1/3", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
		}
		a := doc.Suites[0].Cases[4]
		if !strings.HasPrefix(a.Name, "assertion 1: threshold http_req_duration") || a.Failure == nil ||
			!strings.Contains(a.Failure.Message, "active: fault.inject product-catalog") {
			t.Errorf("assertion testcase %+v", a)
		}
	})
}

func TestHTMLGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b, err := report.RenderHTMLForTest(sampleReport(t), "/* chart.js elided in the golden file */")
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "TestHTML.html", b)
		for _, want := range []string{`<canvas id="s0-latency"`, `<canvas id="s0-lcp"`, "recommendation → product-catalog",
			"3.67×", "p(95)&lt;500", "adFailure: on", "target.oom checkout"} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("report.html lacks %q", want)
			}
		}
	})
}

func TestWrite(t *testing.T) {
	var r report.Report
	synctest.Test(t, func(t *testing.T) { r = sampleReport(t) })
	dir := filepath.Join(t.TempDir(), "out")
	if err := report.Write(dir, r); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{report.SummaryFile, report.JUnitFile, report.HTMLFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(dir, report.HTMLFile))
	if !bytes.Contains(html, []byte("Chart.js v3.9.1")) || bytes.Contains(html, []byte("<script src=")) {
		t.Error("report.html must inline Chart.js and load nothing")
	}
	r.Scenarios = append(r.Scenarios, report.Scenario{Name: "slow-catalog/fixed", Verdict: harness.Pass})
	if err := report.Write(dir, r); err == nil {
		t.Error("a duplicate scenario name must be refused")
	}
}

func TestRecorder(t *testing.T) {
	var r report.Recorder
	if r.Failed() {
		t.Fatal("a new recorder has no failures")
	}
	r.Helper()
	r.Errorf("p(95) is %dms", 812)
	s := r.Scenario("x", nil, report.Measure{Name: "m", Value: "1"})
	if !r.Failed() || s.Passed() || len(s.Failures) != 1 || s.Failures[0] != "p(95) is 812ms" {
		t.Fatalf("scenario %+v", s)
	}
	var clean report.Recorder
	if s := clean.Scenario("y", nil, report.Measure{Name: "m", Value: "2", Expected: "≤ 1", Failed: true}); s.Passed() {
		t.Error("a failed measure fails the scenario")
	}
}
