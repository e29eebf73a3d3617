package report_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/report"
)

// The CLI runs assertions against a Recorder instead of a *testing.T and
// turns what it collected into a Scenario.
func ExampleRecorder() {
	var rec report.Recorder
	rec.Errorf("p(95) of %s is %dms, limit %dms", "checkout", 812, 500) // what an assertion would report
	s := rec.Scenario("checkout-under-load", nil, report.Measure{Name: "p(95)", Value: "812ms", Expected: "< 500ms", Failed: true})
	fmt.Println(s.Verdict, s.Failures)
	// Output: fail [p(95) of checkout is 812ms, limit 500ms]
}

func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "gameday-report")
	defer os.RemoveAll(dir)
	r := report.Report{Title: "nightly", Scenarios: []report.Scenario{
		{Name: "homepage-flood/fixed", Verdict: harness.Pass, Measured: []report.Measure{{Name: "checkout p(95)", Value: "180ms", Expected: "< 500ms"}}},
	}}
	if err := report.Write(dir, r); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range []string{report.SummaryFile, report.JUnitFile, report.HTMLFile} {
		_, err := os.Stat(filepath.Join(dir, f))
		fmt.Println(f, err == nil)
	}
	// Output:
	// summary.json true
	// junit.xml true
	// report.html true
}

func ExampleJUnitXML() {
	b, _ := report.JUnitXML(report.Report{Title: "gate", Scenarios: []report.Scenario{
		{Name: "payment-failure/fixed", Verdict: harness.Fail, Failures: []string{"cart lost during payment outage"}},
	}})
	fmt.Print(string(b))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="gate" tests="2" failures="2" errors="0" time="0.000">
	//   <testsuite name="payment-failure/fixed" tests="2" failures="2" errors="0" time="0.000">
	//     <testcase name="verdict" classname="payment-failure/fixed" time="0.000">
	//       <failure message="cart lost during payment outage" type="slo">cart lost during payment outage</failure>
	//     </testcase>
	//     <testcase name="assertion 1: cart lost during payment outage" classname="payment-failure/fixed" time="0">
	//       <failure message="cart lost during payment outage" type="assertion">cart lost during payment outage</failure>
	//     </testcase>
	//   </testsuite>
	// </testsuites>
}
