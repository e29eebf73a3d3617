package metrics

import "fmt"

// Type is a metric's type, with k6's four kinds and their meaning:
//   - Counter sums its samples (http_reqs); thresholds: count, rate (per second).
//   - Gauge keeps its latest sample (vus); thresholds: value.
//   - Rate is the share of non-zero samples (http_req_failed); thresholds: rate.
//   - Trend keeps the distribution (http_req_duration); thresholds: avg, min,
//     max, med, p(N).
type Type uint8

// The metric types. The zero value is Counter, as in k6.
const (
	Counter Type = iota
	Gauge
	Rate
	Trend
)

var typeNames = [...]string{Counter: "counter", Gauge: "gauge", Rate: "rate", Trend: "trend"}

// String is k6's name of the type: counter, gauge, rate or trend.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Valid reports whether t is one of the four types.
func (t Type) Valid() bool { return int(t) < len(typeNames) }

// MarshalText writes the type's name, as k6's summary JSON does.
func (t Type) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("metric type %d: unknown", uint8(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads a type's name.
func (t *Type) UnmarshalText(b []byte) error {
	for i, n := range typeNames {
		if n == string(b) {
			*t = Type(i)
			return nil
		}
	}
	return fmt.Errorf("metric type %q: want counter, gauge, rate or trend", b)
}

// ValueType says how a metric's values read: plain numbers, times in
// milliseconds, or bytes (k6's "contains": default, time, data).
type ValueType uint8

// The value types. The zero value is Default.
const (
	Default ValueType = iota
	Time
	Data
)

var valueTypeNames = [...]string{Default: "default", Time: "time", Data: "data"}

// String is k6's name of the value type: default, time or data.
func (v ValueType) String() string {
	if int(v) < len(valueTypeNames) {
		return valueTypeNames[v]
	}
	return fmt.Sprintf("ValueType(%d)", uint8(v))
}

// Valid reports whether v is one of the three value types.
func (v ValueType) Valid() bool { return int(v) < len(valueTypeNames) }

// MarshalText writes the value type's name.
func (v ValueType) MarshalText() ([]byte, error) {
	if !v.Valid() {
		return nil, fmt.Errorf("value type %d: unknown", uint8(v))
	}
	return []byte(v.String()), nil
}

// UnmarshalText reads a value type's name.
func (v *ValueType) UnmarshalText(b []byte) error {
	for i, n := range valueTypeNames {
		if n == string(b) {
			*v = ValueType(i)
			return nil
		}
	}
	return fmt.Errorf("value type %q: want default, time or data", b)
}
