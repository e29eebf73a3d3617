package load

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// RampingArrivalRate changes the iteration start rate linearly through
// stages: an open model like ConstantArrivalRate (k6's ramping-arrival-
// rate). Stage targets are iterations per TimeUnit.
type RampingArrivalRate struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// StartRate is the rate at the start, per TimeUnit. Default 0.
	StartRate int
	// TimeUnit is the period of the rates. Default 1s.
	TimeUnit time.Duration
	// Stages ramp the rate to each Target over each Duration. Required.
	Stages []Stage
	// PreAllocatedVUs are created before the start. Required.
	PreAllocatedVUs int
	// MaxVUs caps the VUs, created on demand. Default PreAllocatedVUs.
	MaxVUs int
}

// Type is "ramping-arrival-rate".
func (r RampingArrivalRate) Type() string { return "ramping-arrival-rate" }

// Validate reports every problem of the configuration.
func (r RampingArrivalRate) Validate() error {
	errs := validateCommon(r.Base, r.Exec)
	if r.StartRate < 0 {
		errs = append(errs, fmt.Errorf("startRate %d is negative", r.StartRate))
	}
	if r.TimeUnit < 0 {
		errs = append(errs, fmt.Errorf("timeUnit %s is negative", r.TimeUnit))
	}
	if err := validateStages(r.Stages); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, validatePool(r.PreAllocatedVUs, r.MaxVUs)...)
	return errors.Join(errs...)
}

func (r RampingArrivalRate) base() Base          { return r.Base }
func (r RampingArrivalRate) exec() Exec          { return r.Exec }
func (r RampingArrivalRate) span() time.Duration { return stagesDuration(r.Stages) }
func (r RampingArrivalRate) maxVUs() int         { return max(r.MaxVUs, r.PreAllocatedVUs) }

// arrivals yields the due offsets of a piecewise-linear rate: iteration k
// is due when the rate's integral reaches k (k from 0 when the start rate
// is positive, from 1 otherwise).
type arrivals struct {
	stages []Stage
	unit   float64 // seconds per TimeUnit
	i      int     // current stage
	r0     float64 // rate at the current stage's start, per second
	t0     float64 // the current stage's start, seconds
	c0     float64 // iterations due before the current stage
	k      float64 // the next iteration's cumulative count
}

func (r RampingArrivalRate) arrivals() *arrivals {
	a := &arrivals{stages: r.Stages, unit: timeUnitOrDefault(r.TimeUnit).Seconds()}
	a.r0 = float64(r.StartRate) / a.unit
	if r.StartRate == 0 {
		a.k = 1
	}
	return a
}

// next returns the offset of the next iteration, false after the last stage.
func (a *arrivals) next() (time.Duration, bool) {
	for a.i < len(a.stages) {
		s := a.stages[a.i]
		d := s.Duration.Seconds()
		r1 := float64(s.Target) / a.unit
		count := (a.r0 + r1) / 2 * d
		n := a.k - a.c0
		if n < count {
			t := solveRamp(a.r0, r1, d, n)
			a.k++
			return time.Duration((a.t0 + t) * float64(time.Second)), true
		}
		a.i++
		a.t0 += d
		a.c0 += count
		a.r0 = r1
	}
	return 0, false
}

// solveRamp finds t in [0, d] with r0*t + (r1-r0)*t²/(2d) = n.
func solveRamp(r0, r1, d, n float64) float64 {
	acc := (r1 - r0) / (2 * d)
	if math.Abs(acc) < 1e-12 {
		return n / r0
	}
	disc := math.Max(r0*r0+4*acc*n, 0)
	t := (-r0 + math.Sqrt(disc)) / (2 * acc)
	return math.Min(math.Max(t, 0), d)
}

func (r RampingArrivalRate) run(sr *scenarioRun) {
	pool := newArrivalPool(sr, r.PreAllocatedVUs, r.maxVUs())
	defer pool.close()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	arr := r.arrivals()
	for {
		off, ok := arr.next()
		if !ok {
			return
		}
		at := sr.start.Add(off)
		if !sr.wait(at, timer) {
			return
		}
		pool.start(at)
	}
}
