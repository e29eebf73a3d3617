package proxy

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// echoThrough writes data through the TCP proxy and reads it back.
func echoThrough(t *testing.T, addr string, data []byte, deadline time.Duration) ([]byte, time.Duration, error) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(deadline))
	start := time.Now()
	go func() { _, _ = c.Write(data) }()
	got := make([]byte, len(data))
	n, err := io.ReadFull(c, got)
	return got[:n], time.Since(start), err
}

func TestTCPBandwidth(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "a")
	require.NoError(t, p.AddToxic(ctxT(t), kind.Bandwidth{KBps: 100}, time.Minute))
	data := bytes.Repeat([]byte("b"), 50<<10) // 50 KB at 100 KB/s: ≥ 0.5s
	got, took, err := echoThrough(t, addrs["a"], data, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	assert.GreaterOrEqual(t, took, 400*time.Millisecond)
}

func TestTCPTimeoutBlackholes(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "a")
	require.NoError(t, p.AddToxic(ctxT(t), kind.Blackhole{}, time.Minute))
	_, _, err := echoThrough(t, addrs["a"], []byte("anyone there?"), 300*time.Millisecond)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout(), "data vanishes; the caller waits in vain")
}

func TestTCPSlicerKeepsBytes(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "a")
	require.NoError(t, p.AddToxic(ctxT(t), kind.Slicer{AverageSize: 16,
		SizeVariation: 8, Delay: 100 * time.Microsecond}, time.Minute))
	data := bytes.Repeat([]byte("0123456789"), 100)
	got, _, err := echoThrough(t, addrs["a"], data, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

func TestGRPCDelayAndTCPFault(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "payment", Protocol: GRPC, Upstream: startGRPC(t)}, "checkout")
	cc := dialGRPC(t, addrs["checkout"])
	ctx := ctxT(t)
	require.NoError(t, p.SetGRPCFault(ctx, &GRPCFault{AverageDelay: 150 * time.Millisecond}, time.Minute))
	start := time.Now()
	_, err := say(ctx, cc, echoMsg{Text: "slow"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
	require.NoError(t, p.SetGRPCFault(ctx, nil, 0))

	require.NoError(t, p.AddToxic(ctx, kind.Down{}, time.Minute))
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = say(short, cc, echoMsg{Text: "down"})
	assert.Equal(t, codes.Unavailable, status.Code(err), "%v", err)
	require.NoError(t, p.RemoveToxics(ctx))
	_, err = say(ctx, cc, echoMsg{Text: "up"})
	assert.NoError(t, err)
}
