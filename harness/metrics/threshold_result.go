package metrics

import "fmt"

// ThresholdResult is one threshold expression's verdict.
type ThresholdResult struct {
	Metric string  `json:"metric"` // as written, with tag filter: http_req_duration{name:checkout}
	Source string  `json:"source"` // the expression: p(95)<500
	Ok     bool    `json:"ok"`
	Value  float64 `json:"value"` // the aggregated value that was compared; 0 with NoSamples
	// NoSamples says the value was undefined: the gauge, rate or trend (or
	// its sub-metric) got no samples in the evaluated span. Such a result
	// fails unless AllowNoSamples.
	NoSamples      bool `json:"noSamples,omitempty"`
	AllowNoSamples bool `json:"allowNoSamples,omitempty"`
	AbortOnFail    bool `json:"abortOnFail,omitempty"`
	Aborted        bool `json:"aborted,omitempty"` // this threshold stopped the run
}

// String is one line for logs and test failures:
// "http_req_failed{name:cart} rate<0.01: failed, measured 0.03" or
// "... : failed, no samples".
func (r ThresholdResult) String() string {
	verdict := "passed"
	if !r.Ok {
		verdict = "failed"
	}
	if r.NoSamples {
		return fmt.Sprintf("%s %s: %s, no samples", r.Metric, r.Source, verdict)
	}
	return fmt.Sprintf("%s %s: %s, measured %g", r.Metric, r.Source, verdict, r.Value)
}
