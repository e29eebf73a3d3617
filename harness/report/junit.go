package report

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The JUnit XML schema CI systems read (Jenkins, GitLab, GitHub actions).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitXML renders junit.xml: a testsuite per scenario holding a testcase
// for the scenario's verdict, one per threshold, one per assertion failure
// (its message is the failure text) and one per measure with an expectation.
func JUnitXML(r Report) ([]byte, error) {
	out := junitSuites{Name: r.Title}
	var total float64
	for _, s := range r.Scenarios {
		suite := junitSuite{Name: s.Name}
		secs := 0.0
		if s.Run != nil {
			secs = s.Run.Duration().Seconds()
			suite.Timestamp = s.Run.Start.UTC().Format("2006-01-02T15:04:05")
		}
		total += secs
		suite.Time = fmtSecs(secs)
		add := func(name string, f *junitFailure) {
			suite.Cases = append(suite.Cases, junitCase{Name: name, Classname: s.Name, Time: "0", Failure: f})
		}
		var verdict *junitFailure
		if !s.Passed {
			verdict = &junitFailure{Type: "slo", Message: firstLine(s.Failures, "scenario failed"),
				Text: strings.Join(s.Failures, "\n")}
		}
		add("verdict", verdict)
		suite.Cases[0].Time = suite.Time
		if s.Run != nil {
			for _, th := range s.Run.Thresholds {
				var f *junitFailure
				if !th.Ok {
					msg := fmt.Sprintf("threshold %s: %s failed: measured %g", th.Metric, th.Source, th.Value)
					if th.NoSamples {
						msg = fmt.Sprintf("threshold %s: %s failed: no samples", th.Metric, th.Source)
					}
					f = &junitFailure{Type: "threshold", Message: msg, Text: msg}
				}
				add("threshold "+th.Metric+" "+th.Source, f)
			}
		}
		for i, msg := range s.Failures {
			add(fmt.Sprintf("assertion %d: %s", i+1, clip(msg, 80)), &junitFailure{Type: "assertion", Message: msg, Text: msg})
		}
		for _, m := range s.Measured {
			if m.Expected == "" {
				continue
			}
			var f *junitFailure
			if m.Failed {
				msg := fmt.Sprintf("%s is %s, expected %s", m.Name, m.Value, m.Expected)
				f = &junitFailure{Type: "measure", Message: msg, Text: msg}
			}
			add("measure "+m.Name, f)
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			}
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	out.Time = fmtSecs(total)
	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}

func fmtSecs(s float64) string { return fmt.Sprintf("%.3f", s) }

func firstLine(msgs []string, def string) string {
	if len(msgs) == 0 {
		return def
	}
	return clip(msgs[0], 200)
}

// clip shortens s to n runes on one line.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
