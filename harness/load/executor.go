package load

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Exec is one iteration of a virtual user. A returned error (or a panic)
// marks the iteration as failed: it is counted, never fatal to the run.
// ctx is cancelled when the run stops hard (after the graceful stop).
type Exec func(ctx context.Context, vu *VU) error

// Defaults shared by every executor.
const (
	// DefaultGracefulStop is how long running iterations may go on after a
	// scenario's end (k6's gracefulStop default).
	DefaultGracefulStop = 30 * time.Second
	// DefaultMaxIterationsDuration bounds the iteration-count executors
	// (k6's maxDuration default).
	DefaultMaxIterationsDuration = 10 * time.Minute
	// DefaultTimeUnit is the arrival-rate executors' rate unit.
	DefaultTimeUnit = time.Second
)

// NoGracefulStop, as a GracefulStop or GracefulRampDown, interrupts
// running iterations at once (k6's "0s"; a zero value means the default).
const NoGracefulStop time.Duration = -1

// Base holds the options every executor has besides its Exec.
type Base struct {
	// StartTime delays the scenario's start from the run's start. Default 0.
	StartTime time.Duration
	// GracefulStop is how long iterations running at the scenario's end may
	// finish before they are interrupted. Default 30s; NoGracefulStop for none.
	GracefulStop time.Duration
	// Tags are added to every sample the scenario's VUs record.
	Tags metrics.Tags
}

func (b Base) validate() error {
	var errs []error
	if b.StartTime < 0 {
		errs = append(errs, fmt.Errorf("startTime %s is negative", b.StartTime))
	}
	if b.GracefulStop < 0 && b.GracefulStop != NoGracefulStop {
		errs = append(errs, fmt.Errorf("gracefulStop %s is negative (use NoGracefulStop)", b.GracefulStop))
	}
	for k := range b.Tags {
		if k == "" {
			errs = append(errs, errors.New("empty tag name"))
		}
	}
	return errors.Join(errs...)
}

func (b Base) gracefulStop() time.Duration { return graceOrDefault(b.GracefulStop) }

func graceOrDefault(d time.Duration) time.Duration {
	switch {
	case d == 0:
		return DefaultGracefulStop
	case d < 0:
		return 0
	}
	return d
}

// Stage is one leg of a ramping executor: reach Target (VUs, or
// iterations per TimeUnit) linearly over Duration.
type Stage struct {
	Duration time.Duration
	Target   int
}

func validateStages(stages []Stage) error {
	if len(stages) == 0 {
		return errors.New("at least one stage is required")
	}
	var errs []error
	var total time.Duration
	for i, s := range stages {
		if s.Duration < 0 {
			errs = append(errs, fmt.Errorf("stage %d: duration %s is negative", i, s.Duration))
		}
		if s.Target < 0 {
			errs = append(errs, fmt.Errorf("stage %d: target %d is negative", i, s.Target))
		}
		total += s.Duration
	}
	if total <= 0 {
		errs = append(errs, errors.New("the stages' total duration must be positive"))
	}
	return errors.Join(errs...)
}

func stagesDuration(stages []Stage) time.Duration {
	var d time.Duration
	for _, s := range stages {
		d += s.Duration
	}
	return d
}

// Executor is one scenario's schedule: one of ConstantVUs, RampingVUs,
// SharedIterations, PerVUIterations, ConstantArrivalRate,
// RampingArrivalRate.
type Executor interface {
	// Type is k6's executor name, e.g. "constant-arrival-rate".
	Type() string
	// Validate reports every problem of the configuration at once.
	Validate() error

	base() Base
	exec() Exec
	// span is how long the scenario schedules iterations (its maxDuration
	// for the iteration-count executors), graceful stop excluded.
	span() time.Duration
	// maxVUs is the most VUs the scenario can use at once.
	maxVUs() int
	run(sr *scenarioRun)
}

// Scenarios are run in parallel in one run, keyed by scenario name (the
// "scenario" tag of their samples).
type Scenarios map[string]Executor

// Validate checks every scenario.
func (s Scenarios) Validate() error {
	if len(s) == 0 {
		return errors.New("no scenarios")
	}
	var errs []error
	for name, ex := range s {
		if name == "" {
			errs = append(errs, errors.New("scenario with an empty name"))
		}
		if ex == nil {
			errs = append(errs, fmt.Errorf("scenario %q: nil executor", name))
			continue
		}
		if err := ex.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("scenario %q (%s): %w", name, ex.Type(), err))
		}
	}
	return errors.Join(errs...)
}

func validateCommon(b Base, ex Exec) []error {
	var errs []error
	if ex == nil {
		errs = append(errs, errors.New("exec is required"))
	}
	if err := b.validate(); err != nil {
		errs = append(errs, err)
	}
	return errs
}
