package scenarios

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/report"
)

// Half is one side of an incident: the configuration it had, or the fix.
type Half string

const (
	Unfixed Half = "unfixed"
	Fixed   Half = "fixed"
)

// Halves are played in this order.
var Halves = []Half{Unfixed, Fixed}

// Config is how a scenario half is played.
type Config struct {
	Half   Half
	Short  bool   // the fast gate: smaller load, shorter windows
	Target string // "embedded" (default), "docker" or "auto"
	// ArtifactDir receives screenshots and logs; "" uses a temp dir.
	ArtifactDir string
	// Progress receives the load's live progress line; nil is quiet.
	Progress io.Writer
}

// Outcome is what playing a half produced, for the judge and the report.
type Outcome struct {
	Run      *harness.Run
	Measured []report.Measure
	// Extra holds numbers a judge needs that are not in the run's metrics.
	Extra map[string]float64
}

// Measure adds a measured value with what it is held against.
func (o *Outcome) Measure(name, value, expected string, ok bool) {
	o.Measured = append(o.Measured, report.Measure{Name: name, Value: value, Expected: expected, Failed: !ok})
}

// Scenario is one incident, readable top to bottom: what broke, under what
// load, which SLO, and what fixes it.
type Scenario struct {
	Name     string // kebab-case, unique
	Incident string // the seed and what happened
	Load     string // the traffic, in words
	Fault    string // the disruption, in words
	SLO      string // the objective, in words
	Fix      string // what the fixed half changes
	// Weight is the share of the machine a half needs while it runs
	// (default 1; see DefaultCapacity): CPU-heavy scenarios (browsers, a
	// flood) weigh more so fewer others run beside them.
	Weight int
	// Quiet halves run only beside light ones (weight 1): their numbers
	// move with CPU contention (e.g. delays a few milliseconds short of a
	// timeout), so no heavy half starts while one runs, and a quiet half
	// waits for running heavy ones to end.
	Quiet bool
	// Play runs one half: starts the system in the half's configuration,
	// drives the load, applies the disruption, and returns what happened.
	// t.Fatalf means the harness broke, not that the SLO failed.
	Play func(t harness.T, c Config) *Outcome
	// Judge asserts the SLOs on an outcome; it must fail for the unfixed
	// half and pass for the fixed one. Numbers for the report go into
	// o.Measured.
	Judge func(t assert.TestingT, c Config, o *Outcome)
}

// Verdict is one played half.
type Verdict struct {
	Scenario string
	Half     Half
	Passed   bool
	SLOHeld  bool
	Messages []string // the SLO assertions' messages, or why it could not run
	Outcome  *Outcome
	Took     time.Duration
}

// ID is "scenario/half".
func (v Verdict) ID() string { return v.Scenario + "/" + string(v.Half) }

// Play plays one half of s on t and judges it. The unfixed half passes when
// its SLO is violated; the fixed half passes when it holds.
func Play(t harness.T, s Scenario, c Config) Verdict {
	t.Helper()
	began := time.Now()
	v := Verdict{Scenario: s.Name, Half: c.Half}
	o := s.Play(t, c)
	v.Outcome, v.Took = o, time.Since(began)
	if o == nil {
		v.Messages = []string{"the scenario produced no outcome"}
		return v
	}
	var rec report.Recorder
	s.Judge(&rec, c, o)
	v.SLOHeld = !rec.Failed()
	v.Messages = rec.Messages()
	switch {
	case c.Half == Fixed:
		v.Passed = v.SLOHeld
	case v.SLOHeld:
		v.Messages = append(v.Messages, "no teeth: the SLO held in the unfixed configuration, so this scenario could not catch the incident")
	default:
		v.Passed = true
	}
	// A measured number off its expectation means the scenario did not
	// reproduce the incident as modelled: that fails either half.
	for _, m := range o.Measured {
		if m.Failed {
			v.Passed = false
			v.Messages = append(v.Messages, fmt.Sprintf("%s: measured %s, expected %s", m.Name, m.Value, m.Expected))
		}
	}
	return v
}

// Summary is one line: verdict, measured numbers against expected ones.
func (v Verdict) Summary() string {
	word := "PASS"
	if !v.Passed {
		word = "FAIL"
	}
	slo := "SLO held"
	if !v.SLOHeld {
		slo = "SLO violated"
	}
	var nums []string
	if v.Outcome != nil {
		for _, m := range v.Outcome.Measured {
			s := m.Name + " " + m.Value
			if m.Expected != "" {
				s += " (expected " + m.Expected + ")"
			}
			nums = append(nums, s)
		}
	}
	return fmt.Sprintf("%s %-42s %-13s %6.1fs  %s", word, v.ID(), slo, v.Took.Seconds(), strings.Join(nums, "; "))
}

// Select returns the catalogue's scenarios named in only (all when empty),
// in catalogue order, or an error naming the unknown ones.
func Select(only []string) ([]Scenario, error) {
	all := Catalogue()
	if len(only) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range only {
		want[strings.TrimSpace(n)] = true
	}
	var out []Scenario
	for _, s := range all {
		if want[s.Name] {
			out = append(out, s)
			delete(want, s.Name)
		}
	}
	if len(want) > 0 {
		var unknown []string
		for n := range want {
			unknown = append(unknown, n)
		}
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown scenario(s) %s (see 'gameday list')", strings.Join(unknown, ", "))
	}
	return out, nil
}
