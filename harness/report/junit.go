package report

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/gameday-dev/gameday/harness"
)

// The JUnit XML schema CI systems read (Jenkins, GitLab, GitHub actions).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// expectedNote heads the violations a passing scenario was expected to show.
const expectedNote = "expected violation (this configuration must break the SLO, proving the check has teeth): "

// JUnitXML renders junit.xml: a testsuite per scenario holding a testcase
// for the scenario's verdict, one per threshold, one per assertion failure
// (its message is the failure text) and one per measure with an
// expectation. The verdict decides what is a failure: a passing scenario
// (an unfixed half showing its expected violation) has no failure element,
// its violations are told in system-out; a scenario that could not run is
// one testcase with an error element, nothing judged.
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
		add := func(c junitCase) {
			c.Classname = s.Name
			if c.Time == "" {
				c.Time = "0"
			}
			suite.Cases = append(suite.Cases, c)
		}
		verdict := junitCase{Name: "verdict", Time: suite.Time}
		switch s.Verdict {
		case harness.Pass:
			if len(s.Failures) > 0 {
				verdict.SystemOut = expectedNote + strings.Join(s.Failures, "\n"+expectedNote)
			}
		case harness.Fail:
			verdict.Failure = &junitFailure{Type: "slo", Message: firstLine(s.Failures, "scenario failed"),
				Text: strings.Join(s.Failures, "\n")}
		default:
			verdict.Error = &junitFailure{Type: "error", Message: clip(s.Error, 200), Text: s.Error}
		}
		add(verdict)
		if s.Verdict != harness.Error {
			failing := s.Verdict == harness.Fail
			if s.Run != nil {
				for _, th := range s.Run.Thresholds {
					c := junitCase{Name: "threshold " + th.Metric + " " + th.Source}
					if !th.Ok {
						msg := fmt.Sprintf("threshold %s: %s failed: measured %g", th.Metric, th.Source, th.Value)
						if th.NoSamples {
							msg = fmt.Sprintf("threshold %s: %s failed: no samples", th.Metric, th.Source)
						}
						if failing {
							c.Failure = &junitFailure{Type: "threshold", Message: msg, Text: msg}
						} else {
							c.SystemOut = expectedNote + msg
						}
					}
					add(c)
				}
			}
			if failing {
				for i, msg := range s.Failures {
					add(junitCase{Name: fmt.Sprintf("assertion %d: %s", i+1, clip(msg, 80)),
						Failure: &junitFailure{Type: "assertion", Message: msg, Text: msg}})
				}
			}
			for _, m := range s.Measured {
				if m.Expected == "" {
					continue
				}
				c := junitCase{Name: "measure " + m.Name}
				if m.Failed {
					msg := fmt.Sprintf("%s is %s, expected %s", m.Name, m.Value, m.Expected)
					c.Failure = &junitFailure{Type: "measure", Message: msg, Text: msg}
				} else if m.Margin != "" {
					c.SystemOut = fmt.Sprintf("%s is %s, expected %s: margin %s", m.Name, m.Value, m.Expected, m.Margin)
				}
				add(c)
			}
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			}
			if c.Error != nil {
				suite.Errors++
			}
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
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
