package proxy

import "time"

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
	Caller   string            `json:"caller"` // "" or "client" for traffic from the harness
	Callee   string            `json:"callee"`
	Requests uint64            `json:"requests"`
	Outcomes map[string]uint64 `json:"outcomes"` // "2xx", "5xx", "injected", "reset", "grpc:Unavailable", ...
}
