package fault

import (
	"errors"
	"fmt"
	"time"
)

// DefaultMaxDuration bounds a schedule unless WithMaxDuration says
// otherwise: no fault injected by gameday lasts more than an hour.
const DefaultMaxDuration = time.Hour

// Schedule says when an injection starts, counted from Inject, and how long
// it lasts. The duration is required: there are no open-ended faults.
type Schedule struct {
	Start    time.Duration // delay before the fault goes in; 0 = at once
	Duration time.Duration // how long it stays; > 0 and bounded
}

// During starts the fault after start and keeps it for duration.
func During(start, duration time.Duration) Schedule {
	return Schedule{Start: start, Duration: duration}
}

// For injects the fault at once and keeps it for duration.
func For(duration time.Duration) Schedule { return Schedule{Duration: duration} }

// Validate refuses a missing or negative duration, a negative start, and
// either above DefaultMaxDuration (an Injector applies its own bound).
func (s Schedule) Validate() error { return s.validate(DefaultMaxDuration) }

func (s Schedule) validate(max time.Duration) error {
	var errs []error
	if s.Duration <= 0 {
		errs = append(errs, fmt.Errorf("schedule: duration %v must be positive (faults are bounded)", s.Duration))
	}
	if s.Duration > max {
		errs = append(errs, fmt.Errorf("schedule: duration %v is above the %v bound", s.Duration, max))
	}
	if s.Start < 0 {
		errs = append(errs, fmt.Errorf("schedule: start %v is negative", s.Start))
	}
	if s.Start > max {
		errs = append(errs, fmt.Errorf("schedule: start %v is above the %v bound", s.Start, max))
	}
	return errors.Join(errs...)
}

// String reads like "30s" or "30s after 5s".
func (s Schedule) String() string {
	if s.Start == 0 {
		return s.Duration.String()
	}
	return s.Duration.String() + " after " + s.Start.String()
}
