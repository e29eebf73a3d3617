package slo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
)

// EdgeSelector picks the fault proxies' requests an objective counts: those
// from Caller to Callee ("" matches any; "client" is traffic from outside
// the system, gameday's load or any other client).
type EdgeSelector struct {
	Caller, Callee string
	// Bad reports whether a request outcome ("2xx", "5xx", "grpc_OK",
	// "injected_error", ...) is bad. Default BadOutcome.
	Bad func(outcome string) bool
}

func (s EdgeSelector) String() string {
	return fmt.Sprintf("requests %s->%s", orAny(s.Caller), orAny(s.Callee))
}

func orAny(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// BadOutcome is the default judgement of a proxied request: a 5xx, an
// error the proxy injected or met (connection error, caller gone), a gRPC
// status the server is to blame for, and a connection a partition blocked.
// 4xx and client-side gRPC codes (InvalidArgument, NotFound, ...) are the
// caller's fault and count as good.
func BadOutcome(outcome string) bool {
	switch outcome {
	case "5xx", "injected_error", "conn_error", "caller_gone", "blocked",
		"grpc_Unknown", "grpc_DeadlineExceeded", "grpc_ResourceExhausted", "grpc_Aborted",
		"grpc_Internal", "grpc_Unavailable", "grpc_DataLoss", "grpc_Unimplemented", "grpc_none", "grpc_invalid":
		return true
	}
	return false
}

// FromEdges counts the selected requests of the fault proxies, as read by
// edges (the cumulative caller→callee counts of target.Proxied): every
// request through the proxies counts, whoever sent it. A connection a
// partition blocked counts as a bad event; a delay the proxy injected is
// not an outcome of its own.
func FromEdges(edges func(ctx context.Context) ([]proxy.Edge, error), sel EdgeSelector) Source {
	if sel.Bad == nil {
		sel.Bad = BadOutcome
	}
	return SourceFunc{Name: sel.String(), Func: func(ctx context.Context, _ time.Time) (Counts, error) {
		list, err := edges(ctx)
		if err != nil {
			return Counts{}, fmt.Errorf("read %s: %w", sel, err)
		}
		return sel.count(list), nil
	}}
}

func (s EdgeSelector) count(list []proxy.Edge) Counts {
	var c Counts
	for _, e := range list {
		if !matchName(s.Caller, e.Caller) || !matchName(s.Callee, e.Callee) {
			continue
		}
		bad := uint64(0)
		for outcome, n := range e.Outcomes {
			if outcome == "injected_delay" || !s.Bad(outcome) {
				continue
			}
			bad += n
		}
		total := e.Requests + e.Outcomes["blocked"]
		c.Total += total
		c.Good += total - min(bad, total)
	}
	return c
}

// matchName matches a selector name: "" any, "client" also the proxies'
// empty caller (traffic from outside the system).
func matchName(want, got string) bool {
	switch {
	case want == "":
		return true
	case strings.EqualFold(want, "client"):
		return got == "" || got == "client"
	}
	return want == got
}
