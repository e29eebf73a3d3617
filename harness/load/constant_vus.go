package load

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ConstantVUs runs a fixed number of VUs, each looping iterations, for a
// fixed duration (k6's constant-vus).
type ConstantVUs struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// VUs is the number of looping VUs. Default 1.
	VUs int
	// Duration is how long the VUs loop. Required.
	Duration time.Duration
}

// Type is "constant-vus".
func (c ConstantVUs) Type() string { return "constant-vus" }

// Validate reports every problem of the configuration.
func (c ConstantVUs) Validate() error {
	errs := validateCommon(c.Base, c.Exec)
	if c.VUs < 0 {
		errs = append(errs, fmt.Errorf("vus %d is negative", c.VUs))
	}
	if c.Duration <= 0 {
		errs = append(errs, errors.New("duration must be positive"))
	}
	return errors.Join(errs...)
}

func (c ConstantVUs) base() Base          { return c.Base }
func (c ConstantVUs) exec() Exec          { return c.Exec }
func (c ConstantVUs) span() time.Duration { return c.Duration }
func (c ConstantVUs) maxVUs() int         { return orOne(c.VUs) }

func (c ConstantVUs) run(sr *scenarioRun) {
	var wg sync.WaitGroup
	for range c.maxVUs() {
		vu := sr.newVU()
		wg.Go(func() { sr.loop(vu, func() bool { return true }) })
	}
	wg.Wait()
}

func orOne(n int) int {
	if n <= 0 {
		return 1
	}
	return n
}
