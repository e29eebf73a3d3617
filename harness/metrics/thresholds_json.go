package metrics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// ParseThresholdsJSON parses thresholds written as in a k6 options file
// (gameday adds "allowNoSamples" to the object form):
// {"http_req_duration": ["p(95)<500", {"threshold": "p(99)<1500",
// "abortOnFail": true, "delayAbortEval": "10s"}]}, then validates them
// like ParseThresholdConfigs.
func ParseThresholdsJSON(data []byte, reg *Registry) (*ThresholdSet, error) {
	var spec map[string][]ThresholdConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("parse thresholds json: %w", err)
	}
	return ParseThresholdConfigs(spec, reg)
}

// UnmarshalJSON reads k6's two forms: a bare expression string, or an
// object whose delayAbortEval is a duration string ("10s") or milliseconds.
func (c *ThresholdConfig) UnmarshalJSON(data []byte) error {
	var src string
	if err := json.Unmarshal(data, &src); err == nil {
		*c = ThresholdConfig{Threshold: src}
		return nil
	}
	var raw struct {
		Threshold      string          `json:"threshold"`
		AbortOnFail    bool            `json:"abortOnFail"`
		DelayAbortEval json.RawMessage `json:"delayAbortEval"`
		AllowNoSamples bool            `json:"allowNoSamples"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("threshold: %w", err)
	}
	*c = ThresholdConfig{Threshold: raw.Threshold, AbortOnFail: raw.AbortOnFail, AllowNoSamples: raw.AllowNoSamples}
	if len(raw.DelayAbortEval) == 0 || string(raw.DelayAbortEval) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(raw.DelayAbortEval, &s); err == nil {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("threshold %q: delayAbortEval: %w", raw.Threshold, err)
		}
		c.DelayAbortEval = d
		return nil
	}
	var ms float64
	if err := json.Unmarshal(raw.DelayAbortEval, &ms); err != nil {
		return fmt.Errorf("threshold %q: delayAbortEval must be a duration string or milliseconds", raw.Threshold)
	}
	if ms < 0 || ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return fmt.Errorf("threshold %q: delayAbortEval %g ms is out of range", raw.Threshold, ms)
	}
	c.DelayAbortEval = time.Duration(ms * float64(time.Millisecond))
	return nil
}

// MarshalJSON writes the bare string when there are no options, as k6 does.
func (c ThresholdConfig) MarshalJSON() ([]byte, error) {
	if !c.AbortOnFail && c.DelayAbortEval == 0 && !c.AllowNoSamples {
		return json.Marshal(c.Threshold)
	}
	obj := map[string]any{"threshold": c.Threshold, "abortOnFail": c.AbortOnFail}
	if c.AllowNoSamples {
		obj["allowNoSamples"] = true
	}
	if c.DelayAbortEval != 0 {
		obj["delayAbortEval"] = c.DelayAbortEval.String()
	}
	return json.Marshal(obj)
}
