package kind

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// GRPC delays and fails calls to a gRPC service at its fault proxy, with
// xk6-disruptor's fields and meaning: delays as for HTTP; a fraction
// ErrorRate of calls ends with StatusCode and StatusMessage. Calls to the
// fully qualified service names in Exclude (e.g. "grpc.health.v1.Health")
// pass untouched.
type GRPC struct {
	AverageDelay   time.Duration
	DelayVariation time.Duration // at most AverageDelay
	ErrorRate      float64       // 0–1
	StatusCode     int           // a gRPC code 1–16, required when ErrorRate > 0
	StatusMessage  string
	Exclude        []string
}

func init() {
	Register(Def{Name: "grpc", Layer: LayerGRPC, Summary: "delay and fail gRPC calls",
		Example: map[string]string{"error-rate": "0.5", "status-code": "14"},
		Params: append(append([]Param(nil), delayParams...),
			Param{Key: "status-code", Help: "gRPC code of failed calls, 1–16, e.g. 14 (Unavailable)"},
			Param{Key: "status-message", Help: "gRPC message of failed calls"},
			Param{Key: "exclude", Help: "comma-separated full gRPC service names left alone"}),
		New: func(r *Reader) Fault {
			return GRPC{AverageDelay: r.Duration("delay"), DelayVariation: r.Duration("variation"),
				ErrorRate: r.Float("error-rate"), StatusCode: r.Int("status-code"),
				StatusMessage: r.String("status-message"), Exclude: r.List("exclude")}
		}})
}

// Kind is "grpc".
func (GRPC) Kind() string { return "grpc" }

// Validate reports every problem, as HTTP's does, with gRPC status codes
// (OK, 0, is not an error).
func (f GRPC) Validate() error {
	errs := validateDelayErrors("grpc", f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 && f.StatusCode == 0 {
		errs = append(errs, errors.New("grpc: an error rate needs a status code"))
	}
	if f.StatusCode < 0 || f.StatusCode > 16 {
		errs = append(errs, fmt.Errorf("grpc: status code %d is not a gRPC error code (1–16)", f.StatusCode))
	}
	for _, s := range f.Exclude {
		if s == "" || strings.ContainsAny(s, "/ ") {
			errs = append(errs, fmt.Errorf("grpc: excluded service %q is not a full service name", s))
		}
	}
	return errors.Join(errs...)
}

// String reads like "grpc: delay 0s, 50% errors (14)".
func (f GRPC) String() string {
	return describeDelayErrors("grpc", f.AverageDelay, f.DelayVariation, f.ErrorRate, f.StatusCode, f.Exclude)
}

// Params is the fault's text form.
func (f GRPC) Params() map[string]string {
	return delayErrorParams(f.AverageDelay, f.DelayVariation, f.ErrorRate).Int("status-code", int64(f.StatusCode)).
		String("status-message", f.StatusMessage).List("exclude", f.Exclude)
}
