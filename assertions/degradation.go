package assertions

import (
	"errors"
	"fmt"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/stretchr/testify/assert"
)

// Degradation describes graceful degradation while a dependency is broken:
// the page that depends on it still answers (few http_req_failed for its
// tag filter) and shows its fallback (a checks rate, e.g. a check named
// "recommendations fallback shown"), and unrelated journeys keep their SLOs.
type Degradation struct {
	// Fault selects the window(s) the dependency is broken in (see Before).
	Fault string
	// Page filters http_req_failed for the degraded page or endpoint,
	// e.g. {name: "product"}. Required.
	Page metrics.Tags
	// MaxFailed is the highest failed share the page may have during the
	// fault. Default 0.01.
	MaxFailed float64
	// Fallback filters the checks metric for the "fallback shown" check,
	// e.g. {check: "fallback shown"}; nil skips the fallback check.
	Fallback metrics.Tags
	// MinFallback is the lowest pass rate of the fallback check. Default 0.99.
	MinFallback float64
	// Unrelated are SLOs of journeys that do not use the broken dependency;
	// each must hold during the fault too.
	Unrelated []SLO
}

// Validate reports every problem with the description.
func (d Degradation) Validate() error {
	var errs []error
	if len(d.Page) == 0 {
		errs = append(errs, errors.New("page filter is required"))
	}
	if d.MaxFailed < 0 || d.MaxFailed > 1 {
		errs = append(errs, fmt.Errorf("max failed %v: must be in [0, 1]", d.MaxFailed))
	}
	if d.MinFallback < 0 || d.MinFallback > 1 {
		errs = append(errs, fmt.Errorf("min fallback %v: must be in [0, 1]", d.MinFallback))
	}
	for _, s := range d.Unrelated {
		if err := s.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("unrelated slo %s: %w", s, err))
		}
	}
	return errors.Join(errs...)
}

// GracefulDegradation asserts d over the fault window: every part must
// have samples in it (no traffic is no evidence) and meet its bound.
func GracefulDegradation(t assert.TestingT, run *harness.Run, d Degradation) bool {
	helper(t)
	if err := d.Validate(); err != nil {
		return broken(t, "graceful degradation", err)
	}
	if d.MaxFailed == 0 {
		d.MaxFailed = 0.01
	}
	if d.MinFallback == 0 {
		d.MinFallback = 0.99
	}
	w, err := During(d.Fault)(run)
	if err != nil {
		return broken(t, "graceful degradation", err)
	}
	ok := true
	failed, err := rateIn(run, metrics.HTTPReqFailed, d.Page, w)
	switch {
	case err != nil:
		return broken(t, "graceful degradation", err)
	case failed.Count == 0:
		ok = fail(t, run, w, "degraded page %s: no requests measured", subName(metrics.HTTPReqFailed, d.Page))
	case failed.Rate() > d.MaxFailed:
		ok = fail(t, run, w, "degraded page %s did not keep answering: %s of %d requests failed, limit %s",
			subName(metrics.HTTPReqFailed, d.Page), fmtPct(failed.Rate()), failed.Count, fmtPct(d.MaxFailed))
	}
	if d.Fallback != nil {
		fb, err := rateIn(run, metrics.Checks, d.Fallback, w)
		switch {
		case err != nil:
			return broken(t, "graceful degradation", err)
		case fb.Count == 0:
			ok = fail(t, run, w, "fallback %s: no checks measured", subName(metrics.Checks, d.Fallback)) && ok
		case fb.Rate() < d.MinFallback:
			ok = fail(t, run, w, "fallback %s shown in %s of %d checks, want ≥ %s",
				subName(metrics.Checks, d.Fallback), fmtPct(fb.Rate()), fb.Count, fmtPct(d.MinFallback)) && ok
		}
	}
	for _, s := range d.Unrelated {
		held, measured, err := s.Check(run, w.From, w.To)
		if err != nil {
			return broken(t, "graceful degradation", err)
		}
		if !held {
			ok = fail(t, run, w, "unrelated journey lost its slo %s: %s", s, measured) && ok
		}
	}
	return ok
}

func rateIn(run *harness.Run, metric string, filter metrics.Tags, w Window) (metrics.Aggregate, error) {
	m, err := metricOf(run.Metrics, metric)
	if err != nil {
		return metrics.Aggregate{}, err
	}
	return m.Window(filter, w.From, w.To), nil
}
