package proxy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestGRPCPassThrough(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "payment", Protocol: GRPC, Upstream: startGRPC(t)}, "checkout")
	cc := dialGRPC(t, addrs["checkout"])
	ctx := ctxT(t)

	out, err := say(ctx, cc, echoMsg{Text: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "echo: hi", out.Text)

	_, err = say(ctx, cc, echoMsg{Fail: int(codes.NotFound)})
	assert.Equal(t, codes.NotFound, status.Code(err), "real status codes pass through: %v", err)

	msgs, err := count(ctx, cc, echoMsg{Text: "x", N: 50})
	require.NoError(t, err)
	require.Len(t, msgs, 50)
	assert.Equal(t, 49, msgs[49].N)

	msgs, err = count(ctx, cc, echoMsg{Text: "x", N: 3, Fail: int(codes.ResourceExhausted)})
	assert.Len(t, msgs, 3)
	assert.Equal(t, codes.ResourceExhausted, status.Code(err), "trailers after a stream pass through: %v", err)

	e := edgeOf(p, "checkout")
	assert.Equal(t, uint64(4), e.Requests)
	assert.Equal(t, map[string]uint64{"grpc_OK": 2, "grpc_NotFound": 1, "grpc_ResourceExhausted": 1}, e.Outcomes)
}

func TestGRPCFaultTrailersOnly(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "payment", Protocol: GRPC, Upstream: startGRPC(t)}, "checkout")
	cc := dialGRPC(t, addrs["checkout"])
	ctx := ctxT(t)
	require.NoError(t, p.SetGRPCFault(ctx, &GRPCFault{ErrorRate: 1, StatusCode: int(codes.Unavailable),
		StatusMessage: "injected: payment down ü%"}, time.Minute))

	_, err := say(ctx, cc, echoMsg{Text: "hi"})
	st, _ := status.FromError(err)
	assert.Equal(t, codes.Unavailable, st.Code())
	assert.Equal(t, "injected: payment down ü%", st.Message(), "grpc-message is percent-encoded and decoded back")

	_, err = count(ctx, cc, echoMsg{N: 3})
	assert.Equal(t, codes.Unavailable, status.Code(err))

	// Excluded services pass.
	require.NoError(t, p.SetGRPCFault(ctx, &GRPCFault{ErrorRate: 1, StatusCode: int(codes.Internal),
		Exclude: []string{"test.Echo"}}, time.Minute))
	_, err = say(ctx, cc, echoMsg{Text: "hi"})
	assert.NoError(t, err)

	require.NoError(t, p.SetGRPCFault(ctx, nil, 0))
	_, err = say(ctx, cc, echoMsg{Text: "hi"})
	assert.NoError(t, err)
	assert.Equal(t, uint64(2), edgeOf(p, "checkout").Outcomes["injected_error"])
}

func TestGRPCUpstreamDownIsUnavailable(t *testing.T) {
	addr := startGRPC(t)
	_, addrs := startProxy(t, Config{Service: "payment", Protocol: GRPC, Upstream: "127.0.0.1:1"}, "checkout")
	_ = addr
	cc := dialGRPC(t, addrs["checkout"])
	_, err := say(ctxT(t), cc, echoMsg{Text: "hi"})
	assert.Equal(t, codes.Unavailable, status.Code(err), "%v", err)
}
