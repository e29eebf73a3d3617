package kind

import (
	"errors"
	"fmt"
	"time"
)

// Kill kills a service's process or container. It is started again after
// RestartAfter, or when the injection ends if RestartAfter is zero; with
// NoRestart it stays down afterwards, the one fault an injection
// deliberately leaves in place.
type Kill struct {
	RestartAfter time.Duration // within the injection's duration
	NoRestart    bool
}

func init() {
	Register(Def{Name: "kill", Layer: LayerLifecycle, Summary: "kill the service's process or container",
		Example: map[string]string{"restart-after": "5s"},
		Params: []Param{
			{Key: "restart-after", Help: "start the service again after this long, within --duration (default: when the fault ends)"},
			{Key: "no-restart", Bool: true, Help: "leave the service down when the fault ends"},
		},
		New: func(r *Reader) Fault {
			return Kill{RestartAfter: r.Duration("restart-after"), NoRestart: r.Bool("no-restart")}
		}})
}

// Kind is "kill".
func (Kill) Kind() string { return "kill" }

// Validate refuses a negative or unbounded RestartAfter, and RestartAfter
// together with NoRestart.
func (k Kill) Validate() error {
	errs := checkDuration(nil, "kill", "restart-after", k.RestartAfter)
	if k.NoRestart && k.RestartAfter != 0 {
		errs = append(errs, errors.New("kill: restart-after and no-restart contradict each other"))
	}
	return errors.Join(errs...)
}

// ValidateFor refuses a RestartAfter longer than the injection lasts: the
// service would come back when the injection ends, not when asked.
func (k Kill) ValidateFor(duration time.Duration) error {
	if k.RestartAfter > duration {
		return fmt.Errorf("kill: restart-after %v is longer than the fault's duration %v (the service restarts when the fault ends)",
			k.RestartAfter, duration)
	}
	return nil
}

// String reads like "kill: restart after 5s".
func (k Kill) String() string {
	switch {
	case k.NoRestart:
		return "kill: no restart"
	case k.RestartAfter > 0:
		return "kill: restart after " + k.RestartAfter.String()
	}
	return "kill: restart at the end"
}

// Params is the fault's text form.
func (k Kill) Params() map[string]string {
	return Writer{}.Duration("restart-after", k.RestartAfter).Bool("no-restart", k.NoRestart)
}
