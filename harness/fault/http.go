package fault

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// HTTP delays and fails requests to a service at its fault proxy, with
// xk6-disruptor's fields and meaning. Each request's delay is drawn
// uniformly from [AverageDelay−DelayVariation, AverageDelay+DelayVariation];
// a fraction ErrorRate of requests is answered with ErrorCode and ErrorBody
// instead of reaching the service. Requests whose path is in Exclude pass
// untouched.
type HTTP struct {
	AverageDelay   time.Duration
	DelayVariation time.Duration // at most AverageDelay
	ErrorRate      float64       // 0–1
	ErrorCode      int           // an HTTP status, required when ErrorRate > 0
	ErrorBody      string
	Exclude        []string // request paths, e.g. "/health"
}

// Kind is "http".
func (HTTP) Kind() string { return "http" }

// Validate reports every problem: negative or unbounded delays, a variation
// above the average, a rate outside 0–1, a rate without a status code, no
// effect at all.
func (f HTTP) Validate() error {
	errs := validateDelayErrors("http", f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 && f.ErrorCode == 0 {
		errs = append(errs, errors.New("http: an error rate needs an error code"))
	}
	if f.ErrorCode != 0 && (f.ErrorCode < 100 || f.ErrorCode > 599) {
		errs = append(errs, fmt.Errorf("http: error code %d is not an HTTP status (100–599)", f.ErrorCode))
	}
	for _, p := range f.Exclude {
		if !strings.HasPrefix(p, "/") {
			errs = append(errs, fmt.Errorf("http: excluded path %q does not start with /", p))
		}
	}
	return errors.Join(errs...)
}

// String reads like "http: delay 900ms±150ms, 0% errors".
func (f HTTP) String() string {
	s := "http: " + describeDelayErrors(f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 {
		s += fmt.Sprintf(" (%d)", f.ErrorCode)
	}
	if len(f.Exclude) > 0 {
		s += ", except " + strings.Join(f.Exclude, ",")
	}
	return s
}

// Params is the fault in ParseSpec's vocabulary.
func (f HTTP) Params() map[string]string {
	p := delayErrorParams(f.AverageDelay, f.DelayVariation, f.ErrorRate)
	putInt(p, "error-code", f.ErrorCode)
	putString(p, "error-body", f.ErrorBody)
	putList(p, "exclude", f.Exclude)
	return p
}

// Apply installs the fault on service's proxy; ttl bounds it at the proxy.
func (f HTTP) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	fp, err := faultProxy(r, "http", service)
	if err != nil {
		return nil, err
	}
	spec := &proxy.HTTPFault{AverageDelay: f.AverageDelay, DelayVariation: f.DelayVariation,
		ErrorRate: f.ErrorRate, ErrorCode: f.ErrorCode, ErrorBody: f.ErrorBody,
		Exclude: append([]string(nil), f.Exclude...)}
	if err := fp.SetHTTPFault(ctx, spec, ttl); err != nil {
		return nil, fmt.Errorf("set http fault on %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := fp.SetHTTPFault(ctx, nil, ttl); err != nil {
			return fmt.Errorf("clear http fault on %s: %w", service, err)
		}
		return nil
	}, nil
}

// faultProxy finds the fault proxy in front of service.
func faultProxy(r target.Running, kind, service string) (target.FaultProxy, error) {
	px, ok := r.(target.Proxied)
	if !ok {
		return nil, unsupported(kind, "fault proxy", r)
	}
	fp, err := px.Proxy(service)
	if err != nil {
		return nil, fmt.Errorf("%s fault: proxy of %s: %w", kind, service, err)
	}
	return fp, nil
}

// validateDelayErrors checks the fields HTTP and GRPC share.
func validateDelayErrors(kind string, avg, variation time.Duration, rate float64) []error {
	var errs []error
	errs = checkDuration(errs, kind, "average delay", avg)
	errs = checkDuration(errs, kind, "delay variation", variation)
	if variation > avg {
		errs = append(errs, fmt.Errorf("%s: delay variation %v is above the average delay %v", kind, variation, avg))
	}
	if math.IsNaN(rate) || rate < 0 || rate > 1 {
		errs = append(errs, fmt.Errorf("%s: error rate %v is outside 0–1", kind, rate))
	}
	if avg == 0 && rate == 0 {
		errs = append(errs, fmt.Errorf("%s: the fault has no effect (set a delay or an error rate)", kind))
	}
	return errs
}

// describeDelayErrors reads like "delay 900ms±150ms, 5% errors".
func describeDelayErrors(avg, variation time.Duration, rate float64) string {
	d := "delay " + avg.String()
	if variation > 0 {
		d += "±" + variation.String()
	}
	return d + ", " + percent(rate) + " errors"
}

func delayErrorParams(avg, variation time.Duration, rate float64) map[string]string {
	p := map[string]string{}
	putDuration(p, "delay", avg)
	putDuration(p, "variation", variation)
	putFloat(p, "error-rate", rate)
	return p
}

// percent prints a 0–1 rate as a percentage with up to 4 significant digits.
func percent(rate float64) string {
	return trimFloat(rate*100, 4) + "%"
}
