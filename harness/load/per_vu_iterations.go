package load

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// PerVUIterations has each of VUs run exactly Iterations iterations (k6's
// per-vu-iterations).
type PerVUIterations struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// VUs is the number of VUs. Default 1.
	VUs int
	// Iterations is how many iterations each VU runs. Default 1.
	Iterations int
	// MaxDuration stops the scenario even if iterations remain. Default 10m.
	MaxDuration time.Duration
}

// Type is "per-vu-iterations".
func (p PerVUIterations) Type() string { return "per-vu-iterations" }

// Validate reports every problem of the configuration.
func (p PerVUIterations) Validate() error {
	errs := validateCommon(p.Base, p.Exec)
	if p.VUs < 0 {
		errs = append(errs, fmt.Errorf("vus %d is negative", p.VUs))
	}
	if p.Iterations < 0 {
		errs = append(errs, fmt.Errorf("iterations %d is negative", p.Iterations))
	}
	if p.MaxDuration < 0 {
		errs = append(errs, fmt.Errorf("maxDuration %s is negative", p.MaxDuration))
	}
	return errors.Join(errs...)
}

func (p PerVUIterations) base() Base          { return p.Base }
func (p PerVUIterations) exec() Exec          { return p.Exec }
func (p PerVUIterations) span() time.Duration { return orMaxDuration(p.MaxDuration) }
func (p PerVUIterations) maxVUs() int         { return orOne(p.VUs) }

func (p PerVUIterations) run(sr *scenarioRun) {
	n := orOne(p.Iterations)
	var wg sync.WaitGroup
	for range p.maxVUs() {
		vu := sr.newVU()
		wg.Go(func() {
			done := 0
			sr.loop(vu, func() bool { done++; return done <= n })
		})
	}
	wg.Wait()
}
