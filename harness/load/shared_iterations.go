package load

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// SharedIterations runs a total number of iterations shared by a pool of
// VUs: a fast VU does more of them (k6's shared-iterations).
type SharedIterations struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// VUs is the pool size. Default 1.
	VUs int
	// Iterations is the total to run, at least VUs. Default 1.
	Iterations int
	// MaxDuration stops the scenario even if iterations remain. Default 10m.
	MaxDuration time.Duration
}

// Type is "shared-iterations".
func (s SharedIterations) Type() string { return "shared-iterations" }

// Validate reports every problem of the configuration.
func (s SharedIterations) Validate() error {
	errs := validateCommon(s.Base, s.Exec)
	if s.VUs < 0 {
		errs = append(errs, fmt.Errorf("vus %d is negative", s.VUs))
	}
	if s.Iterations < 0 {
		errs = append(errs, fmt.Errorf("iterations %d is negative", s.Iterations))
	}
	if orOne(s.Iterations) < orOne(s.VUs) {
		errs = append(errs, fmt.Errorf("iterations (%d) can't be fewer than vus (%d)", orOne(s.Iterations), orOne(s.VUs)))
	}
	if s.MaxDuration < 0 {
		errs = append(errs, fmt.Errorf("maxDuration %s is negative", s.MaxDuration))
	}
	return errors.Join(errs...)
}

func (s SharedIterations) base() Base          { return s.Base }
func (s SharedIterations) exec() Exec          { return s.Exec }
func (s SharedIterations) span() time.Duration { return orMaxDuration(s.MaxDuration) }
func (s SharedIterations) maxVUs() int         { return orOne(s.VUs) }

func (s SharedIterations) run(sr *scenarioRun) {
	total := int64(orOne(s.Iterations))
	var claimed atomic.Int64
	var wg sync.WaitGroup
	for range s.maxVUs() {
		vu := sr.newVU()
		wg.Go(func() { sr.loop(vu, func() bool { return claimed.Add(1) <= total }) })
	}
	wg.Wait()
}

func orMaxDuration(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultMaxIterationsDuration
	}
	return d
}
