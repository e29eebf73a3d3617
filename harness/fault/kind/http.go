package kind

import (
	"errors"
	"fmt"
	"strings"
	"time"
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
	ErrorCode      int           // an HTTP error status (400–599), required when ErrorRate > 0
	ErrorBody      string
	Exclude        []string // request paths, e.g. "/health"
}

func init() {
	Register(Def{Name: "http", Layer: LayerHTTP, Summary: "delay and fail HTTP requests",
		Example: map[string]string{"delay": "900ms", "variation": "150ms"},
		Params: append(append([]Param(nil), delayParams...),
			Param{Key: "error-code", Help: "HTTP status of failed requests, 400–599, e.g. 503"},
			Param{Key: "error-body", Help: "body of failed requests"},
			Param{Key: "exclude", Help: "comma-separated request paths left alone, e.g. /health"}),
		New: func(r *Reader) Fault {
			return HTTP{AverageDelay: r.Duration("delay"), DelayVariation: r.Duration("variation"),
				ErrorRate: r.Float("error-rate"), ErrorCode: r.Int("error-code"),
				ErrorBody: r.String("error-body"), Exclude: r.List("exclude")}
		}})
}

// Kind is "http".
func (HTTP) Kind() string { return "http" }

// Validate reports every problem: negative or unbounded delays, a variation
// above the average, a rate outside 0–1, a rate without an error status, a
// status that is not an error, no effect at all.
func (f HTTP) Validate() error {
	errs := validateDelayErrors("http", f.AverageDelay, f.DelayVariation, f.ErrorRate)
	if f.ErrorRate > 0 && f.ErrorCode == 0 {
		errs = append(errs, errors.New("http: an error rate needs an error code"))
	}
	if f.ErrorCode != 0 && (f.ErrorCode < 400 || f.ErrorCode > 599) {
		errs = append(errs, fmt.Errorf("http: error code %d is not an HTTP error status (400–599)", f.ErrorCode))
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
	return describeDelayErrors("http", f.AverageDelay, f.DelayVariation, f.ErrorRate, f.ErrorCode, f.Exclude)
}

// Params is the fault's text form.
func (f HTTP) Params() map[string]string {
	return delayErrorParams(f.AverageDelay, f.DelayVariation, f.ErrorRate).Int("error-code", int64(f.ErrorCode)).
		String("error-body", f.ErrorBody).List("exclude", f.Exclude)
}
