package proxy

import (
	"errors"
	"fmt"
	"time"
)

// HTTPFault is an HTTP disruption with xk6-disruptor's fields and meaning.
// Each request's delay is drawn uniformly from
// [AverageDelay−DelayVariation, AverageDelay+DelayVariation].
type HTTPFault struct {
	AverageDelay   time.Duration `json:"averageDelay,omitempty"`
	DelayVariation time.Duration `json:"delayVariation,omitempty"`
	ErrorRate      float64       `json:"errorRate,omitempty"` // 0–1
	ErrorCode      int           `json:"errorCode,omitempty"` // required when ErrorRate > 0
	ErrorBody      string        `json:"errorBody,omitempty"`
	Exclude        []string      `json:"exclude,omitempty"` // request paths left alone
}

// GRPCFault is a gRPC disruption with xk6-disruptor's fields and meaning.
type GRPCFault struct {
	AverageDelay   time.Duration `json:"averageDelay,omitempty"`
	DelayVariation time.Duration `json:"delayVariation,omitempty"`
	ErrorRate      float64       `json:"errorRate,omitempty"`
	StatusCode     int           `json:"statusCode,omitempty"` // gRPC code, required when ErrorRate > 0
	StatusMessage  string        `json:"statusMessage,omitempty"`
	Exclude        []string      `json:"exclude,omitempty"` // full service names left alone
}

// Edge counts what crossed one caller → callee hop.
type Edge struct {
	Caller   string `json:"caller"` // "" or "client" for traffic from the harness
	Callee   string `json:"callee"`
	Requests uint64 `json:"requests"`
	// Outcomes holds one final outcome per request ("2xx", "5xx",
	// "injected_error", "conn_error", "grpc_OK", "grpc_Unavailable",
	// "tcp_conn" for a TCP connection), plus "injected_delay" for every
	// request the proxy delayed and "blocked" for every connection refused
	// by a partition (neither counts in Requests).
	Outcomes map[string]uint64 `json:"outcomes"`
}

// Validate reports every problem with f: a delay variation larger than the
// average, an error rate outside 0–1, an error rate without a valid HTTP
// status code (100–599).
func (f *HTTPFault) Validate() error {
	if f == nil {
		return nil
	}
	errs := validateDelay(f.AverageDelay, f.DelayVariation)
	errs = append(errs, validateRate(f.ErrorRate)...)
	if f.ErrorRate > 0 && (f.ErrorCode < 100 || f.ErrorCode > 599) {
		errs = append(errs, fmt.Errorf("error code %d: must be an HTTP status (100–599) when error rate > 0", f.ErrorCode))
	}
	if f.ErrorRate == 0 && f.ErrorCode != 0 && (f.ErrorCode < 100 || f.ErrorCode > 599) {
		errs = append(errs, fmt.Errorf("error code %d: not an HTTP status", f.ErrorCode))
	}
	return errors.Join(errs...)
}

// Validate reports every problem with f: a delay variation larger than the
// average, an error rate outside 0–1, an error rate without a non-OK gRPC
// status code (1–16).
func (f *GRPCFault) Validate() error {
	if f == nil {
		return nil
	}
	errs := validateDelay(f.AverageDelay, f.DelayVariation)
	errs = append(errs, validateRate(f.ErrorRate)...)
	if f.ErrorRate > 0 && (f.StatusCode < 1 || f.StatusCode > 16) {
		errs = append(errs, fmt.Errorf("status code %d: must be a non-OK gRPC code (1–16) when error rate > 0", f.StatusCode))
	}
	if f.StatusCode < 0 || f.StatusCode > 16 {
		errs = append(errs, fmt.Errorf("status code %d: not a gRPC code", f.StatusCode))
	}
	return errors.Join(errs...)
}

func validateDelay(avg, variation time.Duration) []error {
	var errs []error
	if avg < 0 {
		errs = append(errs, fmt.Errorf("average delay %s: must not be negative", avg))
	}
	if variation < 0 {
		errs = append(errs, fmt.Errorf("delay variation %s: must not be negative", variation))
	}
	if variation > avg {
		errs = append(errs, fmt.Errorf("delay variation %s: must not exceed the average delay %s", variation, avg))
	}
	return errs
}

func validateRate(rate float64) []error {
	if rate < 0 || rate > 1 || rate != rate {
		return []error{fmt.Errorf("error rate %v: must be in 0–1", rate)}
	}
	return nil
}
