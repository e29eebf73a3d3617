package kind

// Edge counts what crossed one caller → callee hop at the callee's fault
// proxy. It lives here, beside the faults that shape those counts, so that
// targets report edges without importing the proxy.
type Edge struct {
	Caller   string `json:"caller"` // "" or "client" for traffic from the harness
	Callee   string `json:"callee"`
	Requests uint64 `json:"requests"`
	// Outcomes holds one final outcome per request ("2xx", "5xx",
	// OutcomeInjectedError, OutcomeConnError, OutcomeCallerGone, "grpc_OK",
	// "grpc_Unavailable", OutcomeTCPConn for a TCP connection), plus
	// OutcomeInjectedDelay for every request the proxy delayed and
	// OutcomeBlocked for every connection refused by a partition (neither
	// counts in Requests).
	Outcomes map[string]uint64 `json:"outcomes"`
}

// Outcomes the proxy records besides HTTP status classes and gRPC codes.
const (
	OutcomeInjectedError = "injected_error"
	OutcomeInjectedDelay = "injected_delay"
	OutcomeConnError     = "conn_error" // the upstream could not be reached or broke off
	// OutcomeCallerGone: the caller gave up (closed its connection or
	// cancelled the call) before the answer came; the callee's answer, if
	// any, reached nobody.
	OutcomeCallerGone = "caller_gone"
	OutcomeBlocked    = "blocked"
	OutcomeTCPConn    = "tcp_conn"
)
