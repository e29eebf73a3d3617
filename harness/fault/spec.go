package fault

import (
	"errors"
	"fmt"
	"time"
)

// Spec is a fault request as JSON, the body of the control API's POST
// /faults: {"kind": "http", "target": "product-catalog", "duration": "30s",
// "params": {"delay": "900ms", "variation": "150ms"}}.
type Spec struct {
	Kind     string            `json:"kind"`
	Target   string            `json:"target"`          // selector: a service or a glob
	Duration string            `json:"duration"`        // required, e.g. "30s"
	Start    string            `json:"start,omitempty"` // delay before the fault goes in
	Params   map[string]string `json:"params,omitempty"`
}

// SpecOf describes f injected into target on sched.
func SpecOf(target string, f Fault, sched Schedule) Spec {
	s := Spec{Kind: f.Kind(), Target: target, Duration: sched.Duration.String(), Params: f.Params()}
	if sched.Start > 0 {
		s.Start = sched.Start.String()
	}
	return s
}

// Parse checks the whole spec and returns its fault and schedule.
func (s Spec) Parse() (Fault, Schedule, error) {
	var errs []error
	if s.Target == "" {
		errs = append(errs, errors.New("target is required"))
	}
	var sched Schedule
	var err error
	if s.Duration == "" {
		errs = append(errs, errors.New("duration is required (faults are bounded)"))
	} else if sched.Duration, err = time.ParseDuration(s.Duration); err != nil {
		errs = append(errs, fmt.Errorf("duration %q: %w", s.Duration, err))
	}
	if s.Start != "" {
		if sched.Start, err = time.ParseDuration(s.Start); err != nil {
			errs = append(errs, fmt.Errorf("start %q: %w", s.Start, err))
		}
	}
	if err := sched.Validate(); err != nil && s.Duration != "" {
		errs = append(errs, err)
	}
	f, err := ParseSpec(s.Kind, s.Params)
	if err != nil {
		errs = append(errs, err)
	} else if s.Duration != "" && sched.Duration > 0 {
		errs = append(errs, checkFor(f, []string{s.Target}, sched)...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, Schedule{}, err
	}
	return f, sched, nil
}
