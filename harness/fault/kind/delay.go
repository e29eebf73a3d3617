package kind

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// maxDuration bounds every duration inside a fault's parameters (delays,
// timeouts), as the injector bounds a schedule.
const maxDuration = time.Hour

// checkDuration appends a problem when d is negative or above the bound.
func checkDuration(errs []error, kind, name string, d time.Duration) []error {
	switch {
	case d < 0:
		errs = append(errs, fmt.Errorf("%s: %s %v is negative", kind, name, d))
	case d > maxDuration:
		errs = append(errs, fmt.Errorf("%s: %s %v is above the %v bound", kind, name, d, maxDuration))
	}
	return errs
}

// delayParams are the parameters HTTP and GRPC share.
var delayParams = []Param{
	{Key: "delay", Help: "average delay added to each request, e.g. 900ms"},
	{Key: "variation", Help: "delay varies uniformly by ± this (≤ delay)"},
	{Key: "error-rate", Help: "fraction of requests failed, 0–1"},
}

// validateDelayErrors checks the fields HTTP and GRPC share.
func validateDelayErrors(kind string, avg, variation time.Duration, rate float64) []error {
	errs := checkDuration(nil, kind, "average delay", avg)
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

// describeDelayErrors is HTTP's and GRPC's String: it reads like
// "http: delay 900ms±150ms, 5% errors (503), except /health"; the error code
// shows only with errors, the exclusions only when there are some.
func describeDelayErrors(kind string, avg, variation time.Duration, rate float64, code int, exclude []string) string {
	d := kind + ": delay " + avg.String()
	if variation > 0 {
		d += "±" + variation.String()
	}
	d += ", " + trimFloat(rate*100, 4) + "% errors"
	if rate > 0 {
		d += fmt.Sprintf(" (%d)", code)
	}
	if len(exclude) > 0 {
		d += ", except " + strings.Join(exclude, ",")
	}
	return d
}

func delayErrorParams(avg, variation time.Duration, rate float64) Writer {
	return Writer{}.Duration("delay", avg).Duration("variation", variation).Float("error-rate", rate)
}
