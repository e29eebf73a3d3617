package proxy

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Callers here give up after callerPatience; the callee (or the injected
// delay) takes calleeDelay, well beyond it.
const (
	callerPatience = 100 * time.Millisecond
	calleeDelay    = 500 * time.Millisecond
)

// waitOutcome waits until the caller's edge has n final outcomes.
func waitOutcome(t *testing.T, p *Proxy, caller string, n uint64) Edge {
	t.Helper()
	var e Edge
	require.Eventually(t, func() bool {
		e = edgeOf(p, caller)
		var final uint64
		for k, v := range e.Outcomes {
			if k != outcomeInjectedDelay && k != outcomeBlocked {
				final += v
			}
		}
		return final >= n
	}, 5*time.Second, 5*time.Millisecond)
	return e
}

// TestCallerGoneIsNotSuccess: an HTTP caller that times out before a slow
// callee answers is counted as caller_gone, never 2xx; a patient one is.
func TestCallerGoneIsNotSuccess(t *testing.T) {
	slow := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(calleeDelay)
		_, _ = w.Write([]byte("late"))
	}))
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: slow.addr()}, "recommendation")
	impatient := &http.Client{Timeout: callerPatience}
	_, err := impatient.Get("http://" + addrs["recommendation"] + "/")
	require.Error(t, err, "the caller times out")

	e := waitOutcome(t, p, "recommendation", 1)
	assert.Equal(t, uint64(1), e.Requests)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 1}, e.Outcomes)

	code, _ := get(t, newClient(t), "http://"+addrs["recommendation"]+"/")
	assert.Equal(t, 200, code)
	e = waitOutcome(t, p, "recommendation", 2)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 1, "2xx": 1}, e.Outcomes, "a caller that waits is a 2xx")
}

// TestCallerGoneDuringInjectedDelay: the caller leaves while the proxy
// holds its request; the request is counted as caller_gone (and delayed).
func TestCallerGoneDuringInjectedDelay(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: okUpstream(t).addr()}, "recommendation")
	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{AverageDelay: calleeDelay}, time.Minute))
	_, err := (&http.Client{Timeout: callerPatience}).Get("http://" + addrs["recommendation"] + "/")
	require.Error(t, err)
	e := waitOutcome(t, p, "recommendation", 1)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 1, outcomeInjectedDelay: 1}, e.Outcomes)
}

// TestGRPCCallerGone: a gRPC call whose deadline passes before the slow
// callee answers, or during an injected delay, is caller_gone, not grpc_OK.
func TestGRPCCallerGone(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "payment", Protocol: GRPC, Upstream: startGRPC(t)}, "checkout")
	cc := dialGRPC(t, addrs["checkout"])
	ctx, cancel := context.WithTimeout(ctxT(t), callerPatience)
	defer cancel()
	_, err := say(ctx, cc, echoMsg{Text: "slow", SleepMS: int(calleeDelay / time.Millisecond)})
	// The deadline travels to the callee too (grpc-timeout); on a loaded
	// machine the callee's reset, passed on by the proxy, can reach the
	// caller before its own timer fires.
	assert.Contains(t, []codes.Code{codes.DeadlineExceeded, codes.Unavailable}, status.Code(err), "%v", err)
	e := waitOutcome(t, p, "checkout", 1)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 1}, e.Outcomes)

	require.NoError(t, p.SetGRPCFault(ctxT(t), &GRPCFault{AverageDelay: calleeDelay}, time.Minute))
	ctx2, cancel2 := context.WithTimeout(ctxT(t), callerPatience)
	defer cancel2()
	_, err = say(ctx2, cc, echoMsg{Text: "held"})
	assert.Equal(t, codes.DeadlineExceeded, status.Code(err), "%v", err)
	e = waitOutcome(t, p, "checkout", 2)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 2, outcomeInjectedDelay: 1}, e.Outcomes)
}

func TestGRPCTimeoutHeader(t *testing.T) {
	for v, want := range map[string]time.Duration{"100m": 100 * time.Millisecond, "2S": 2 * time.Second,
		"1H": time.Hour, "5M": 5 * time.Minute, "30u": 30 * time.Microsecond, "99999999n": 99999999} {
		d, ok := grpcTimeout(v)
		assert.True(t, ok, v)
		assert.Equal(t, want, d, v)
	}
	for _, v := range []string{"", "m", "100", "100x", "-1m", "123456789m"} {
		_, ok := grpcTimeout(v)
		assert.False(t, ok, v)
	}
}
