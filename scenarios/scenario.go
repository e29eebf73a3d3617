package scenarios

import (
	"context"
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
	// Floors are the least samples the judged metrics must hold: the
	// evidence that the half had traffic (see Floor). Play checks them.
	Floors []Floor
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
	// Quiet lists the halves that run only beside light ones (weight 1):
	// their numbers move with CPU contention (e.g. delays a few
	// milliseconds short of a timeout), so no heavy or other quiet half
	// starts while one runs, and a quiet half waits for running heavy ones
	// to end. A scenario's other halves are heavy when they weigh more
	// than 1.
	Quiet []Half
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
	// Status is PASS (the half showed what it must: the unfixed one its
	// violation, the fixed one its SLO held), FAIL (it did not: an SLO gate
	// broke) or ERROR (it could not be judged: setup, start, a missing
	// browser or engine, a harness failure, an interrupt).
	Status harness.Verdict
	// Judged is true when the SLOs were evaluated; SLOHeld is their result.
	Judged, SLOHeld bool
	Messages        []string // the SLO assertions' messages and measures off their expectation
	Error           string   // why the half could not be judged (Status ERROR)
	Interrupted     bool     // the run was cancelled before it finished: never judged
	Outcome         *Outcome
	Took            time.Duration
}

// Passed reports whether the half passed.
func (v Verdict) Passed() bool { return v.Status == harness.Pass }

// ID is "scenario/half".
func (v Verdict) ID() string { return v.Scenario + "/" + string(v.Half) }

// Errored returns the ERROR verdict of a half that could not be judged.
func Errored(s Scenario, c Config, took time.Duration, why string, interrupted bool) Verdict {
	return Verdict{Scenario: s.Name, Half: c.Half, Status: harness.Error, Error: why, Interrupted: interrupted, Took: took}
}

// Play plays one half of s on t and judges it. The unfixed half passes when
// its SLO is violated; the fixed half passes when it holds. A half whose
// play failed on t (t.Errorf; t.Fatalf does not return here) or was
// interrupted (t's context ended) is ERROR and is not judged: partial data
// says nothing about the SLO.
func Play(t harness.T, s Scenario, c Config) Verdict {
	t.Helper()
	began := time.Now()
	c.Target = resolveTarget(t, c.Target)
	o := s.Play(t, c)
	took := time.Since(began)
	switch {
	case t.Context().Err() != nil:
		return Errored(s, c, took, "interrupted: "+context.Cause(t.Context()).Error(), true)
	case t.Failed():
		return Errored(s, c, took, "the harness reported an error while playing the half", false)
	case o == nil || o.Run == nil:
		return Errored(s, c, took, "the scenario produced no run", false)
	}
	v := Verdict{Scenario: s.Name, Half: c.Half, Outcome: o, Took: took, Judged: true}
	var rec report.Recorder
	o.checkFloors()
	s.Judge(&rec, c, o)
	v.SLOHeld = !rec.Failed()
	v.Messages = rec.Messages()
	pass := false
	switch {
	case c.Half == Fixed:
		pass = v.SLOHeld
	case v.SLOHeld:
		v.Messages = append(v.Messages, "no teeth: the SLO held in the unfixed configuration, so this scenario could not catch the incident")
	default:
		pass = true
	}
	// A measured number off its expectation means the scenario did not
	// reproduce the incident as modelled (or, fixed, had too little
	// traffic to prove anything): that fails either half.
	for _, m := range o.Measured {
		if m.Failed {
			pass = false
			v.Messages = append(v.Messages, fmt.Sprintf("%s: measured %s, expected %s", m.Name, m.Value, m.Expected))
		}
	}
	v.Status = harness.Fail
	if pass {
		v.Status = harness.Pass
	}
	return v
}

// Summary is one line: verdict, measured numbers against expected ones
// with their margins, or why the half could not be judged.
func (v Verdict) Summary() string {
	slo := "not judged"
	switch {
	case v.Judged && v.SLOHeld:
		slo = "SLO held"
	case v.Judged:
		slo = "SLO violated"
	}
	var nums []string
	if v.Status == harness.Error {
		nums = append(nums, v.Error)
	} else if v.Outcome != nil {
		for _, m := range v.Outcome.Measured {
			s := m.Name + " " + m.Value
			switch {
			case m.Expected != "" && m.Margin != "":
				s += " (expected " + m.Expected + ", margin " + m.Margin + ")"
			case m.Expected != "":
				s += " (expected " + m.Expected + ")"
			}
			nums = append(nums, s)
		}
	}
	return fmt.Sprintf("%-5s %-42s %-13s %6.1fs  %s", v.Status.Word(), v.ID(), slo, v.Took.Seconds(), strings.Join(nums, "; "))
}

// Report is the verdict as a report scenario.
func (v Verdict) Report() report.Scenario {
	sc := report.Scenario{Name: v.ID(), Verdict: v.Status, Failures: v.Messages, Error: v.Error}
	if v.Outcome != nil {
		sc.Run, sc.Measured = v.Outcome.Run, v.Outcome.Measured
	}
	return sc
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
