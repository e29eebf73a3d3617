package load

import (
	"errors"
	"fmt"
	"time"
)

// ConstantArrivalRate starts Rate iterations per TimeUnit for Duration,
// whatever the system's response time: an open model (k6's constant-
// arrival-rate). Each iteration's clock starts at its scheduled time
// (vu.ScheduledAt). When every VU is busy and MaxVUs are in use, the
// iteration is dropped and counted in dropped_iterations.
type ConstantArrivalRate struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// Rate is the number of iterations started per TimeUnit. Required.
	Rate int
	// TimeUnit is the period of Rate. Default 1s.
	TimeUnit time.Duration
	// Duration is how long iterations are started. Required.
	Duration time.Duration
	// PreAllocatedVUs are created before the start. Required.
	PreAllocatedVUs int
	// MaxVUs caps the VUs, created on demand. Default PreAllocatedVUs.
	MaxVUs int
}

// Type is "constant-arrival-rate".
func (c ConstantArrivalRate) Type() string { return "constant-arrival-rate" }

// Validate reports every problem of the configuration.
func (c ConstantArrivalRate) Validate() error {
	errs := validateCommon(c.Base, c.Exec)
	if c.Rate <= 0 {
		errs = append(errs, errors.New("rate must be positive"))
	}
	if c.TimeUnit < 0 {
		errs = append(errs, fmt.Errorf("timeUnit %s is negative", c.TimeUnit))
	}
	if c.Duration <= 0 {
		errs = append(errs, errors.New("duration must be positive"))
	}
	errs = append(errs, validatePool(c.PreAllocatedVUs, c.MaxVUs)...)
	return errors.Join(errs...)
}

func validatePool(pre, maxVUs int) []error {
	var errs []error
	if pre <= 0 {
		errs = append(errs, errors.New("preAllocatedVUs must be positive"))
	}
	if maxVUs != 0 && maxVUs < pre {
		errs = append(errs, fmt.Errorf("maxVUs (%d) can't be fewer than preAllocatedVUs (%d)", maxVUs, pre))
	}
	return errs
}

func (c ConstantArrivalRate) base() Base          { return c.Base }
func (c ConstantArrivalRate) exec() Exec          { return c.Exec }
func (c ConstantArrivalRate) span() time.Duration { return c.Duration }
func (c ConstantArrivalRate) maxVUs() int         { return max(c.MaxVUs, c.PreAllocatedVUs) }

func timeUnitOrDefault(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultTimeUnit
	}
	return d
}

// interval is the time between two starts; iteration i is due at i*interval.
func (c ConstantArrivalRate) interval() float64 {
	return float64(timeUnitOrDefault(c.TimeUnit)) / float64(c.Rate)
}

func (c ConstantArrivalRate) run(sr *scenarioRun) {
	pool := newArrivalPool(sr, c.PreAllocatedVUs, c.maxVUs())
	defer pool.close()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	step := c.interval()
	for i := 0; ; i++ {
		off := time.Duration(float64(i) * step)
		if off >= c.Duration {
			return
		}
		at := sr.start.Add(off)
		if !sr.wait(at, timer) {
			return
		}
		pool.start(at)
	}
}
