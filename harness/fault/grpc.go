package fault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
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

// Kind is "grpc".
func (GRPC) Kind() string { return "grpc" }

// Validate reports every problem, as HTTP's does, with gRPC status codes.
func (f GRPC) Validate() error {
	errs := validateDelayErrors("grpc", f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 && f.StatusCode == 0 {
		errs = append(errs, errors.New("grpc: an error rate needs a status code"))
	}
	if f.StatusCode < 0 || f.StatusCode > 16 {
		errs = append(errs, fmt.Errorf("grpc: status code %d is not a gRPC code (1–16)", f.StatusCode))
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
	s := "grpc: " + describeDelayErrors(f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 {
		s += fmt.Sprintf(" (%d)", f.StatusCode)
	}
	if len(f.Exclude) > 0 {
		s += ", except " + strings.Join(f.Exclude, ",")
	}
	return s
}

// Params is the fault in ParseSpec's vocabulary.
func (f GRPC) Params() map[string]string {
	p := delayErrorParams(f.AverageDelay, f.DelayVariation, f.ErrorRate)
	putInt(p, "status-code", f.StatusCode)
	putString(p, "status-message", f.StatusMessage)
	putList(p, "exclude", f.Exclude)
	return p
}

// Apply installs the fault on service's proxy; ttl bounds it at the proxy.
func (f GRPC) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	fp, err := faultProxy(r, "grpc", service)
	if err != nil {
		return nil, err
	}
	spec := &proxy.GRPCFault{AverageDelay: f.AverageDelay, DelayVariation: f.DelayVariation,
		ErrorRate: f.ErrorRate, StatusCode: f.StatusCode, StatusMessage: f.StatusMessage,
		Exclude: append([]string(nil), f.Exclude...)}
	if err := fp.SetGRPCFault(ctx, spec, ttl); err != nil {
		return nil, fmt.Errorf("set grpc fault on %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := fp.SetGRPCFault(ctx, nil, ttl); err != nil {
			return fmt.Errorf("clear grpc fault on %s: %w", service, err)
		}
		return nil
	}, nil
}
