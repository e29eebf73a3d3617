package proxy

import "github.com/gameday-dev/gameday/harness/fault/kind"

// The faults the proxy applies and the counts it keeps are defined in
// package kind (each fault kind once, for the proxy, the targets, the spec
// parser and the CLI); these are the proxy's names for them.
type (
	// HTTPFault is applied to HTTP requests by SetHTTPFault.
	HTTPFault = kind.HTTP
	// GRPCFault is applied to gRPC calls by SetGRPCFault.
	GRPCFault = kind.GRPC
	// TCPFault is any TCP-layer kind, applied by AddToxic.
	TCPFault = kind.TCP
	// Edge counts what crossed one caller → callee hop.
	Edge = kind.Edge
)

// Outcomes the proxy records besides status classes and gRPC codes.
const (
	outcomeInjectedError = kind.OutcomeInjectedError
	outcomeInjectedDelay = kind.OutcomeInjectedDelay
	outcomeConnError     = kind.OutcomeConnError
	outcomeCallerGone    = kind.OutcomeCallerGone
	outcomeBlocked       = kind.OutcomeBlocked
	outcomeTCPConn       = kind.OutcomeTCPConn
)
