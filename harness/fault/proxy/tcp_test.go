package proxy

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoServer echoes every connection until closed.
func echoServer(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	tb.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func roundTrip(t *testing.T, c net.Conn, br *bufio.Reader) time.Duration {
	t.Helper()
	start := time.Now()
	_, err := c.Write([]byte("ping\n"))
	require.NoError(t, err)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "ping\n", line)
	return time.Since(start)
}

// Bytes pass untouched. (Toxiproxy, which TCP traffic flows through,
// turns a half-close into a full close, so the test reads before closing.)
func TestTCPPassThrough(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "checkout")
	c, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c.Close()
	data := make([]byte, 4<<20)
	_, _ = rand.Read(data)
	go func() { _, _ = c.Write(data) }()
	got := make([]byte, len(data))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, got), "bytes pass untouched")
	e := edgeOf(p, "checkout")
	assert.Equal(t, uint64(1), e.Requests)
	assert.Equal(t, uint64(1), e.Outcomes["tcp_conn"])
}

func TestTCPLatencyReachesOpenConnections(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "checkout")
	c, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c.Close()
	br := bufio.NewReader(c)
	before := roundTrip(t, c, br)

	require.NoError(t, p.AddToxic(ctxT(t), kind.Latency{Latency: 150 * time.Millisecond}, time.Minute))
	during := roundTrip(t, c, br)
	assert.GreaterOrEqual(t, during, 150*time.Millisecond, "an already open connection is slowed (before: %v)", before)

	require.NoError(t, p.RemoveToxics(ctxT(t)))
	after := roundTrip(t, c, br)
	assert.Less(t, after, 100*time.Millisecond)
}

func TestTCPResetPeer(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "checkout")
	require.NoError(t, p.AddToxic(ctxT(t), kind.ResetPeer{After: 10 * time.Millisecond}, time.Minute))
	c, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("ping\n"))
	start := time.Now()
	_, err = io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) {
		assert.False(t, ne.Timeout(), "the connection must be reset, not left hanging")
	}
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestHTTPThroughToxicsOnlyWhileActive(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: okUpstream(t).addr()}, "a")
	c := newClient(t)
	url := "http://" + addrs["a"] + "/"
	start := time.Now()
	get(t, c, url)
	assert.Less(t, time.Since(start), 100*time.Millisecond)

	ctx := ctxT(t)
	require.NoError(t, p.AddToxic(ctx, kind.Latency{Latency: 200 * time.Millisecond}, time.Minute))
	start = time.Now()
	code, _ := get(t, c, url)
	assert.Equal(t, 200, code)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)

	require.NoError(t, p.RemoveToxics(ctx))
	start = time.Now()
	get(t, c, url)
	assert.Less(t, time.Since(start), 100*time.Millisecond)
}

func TestTCPDownThenUpAfterTTL(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: okUpstream(t).addr()}, "a")
	c := newClient(t)
	url := "http://" + addrs["a"] + "/"
	require.NoError(t, p.AddToxic(ctxT(t), kind.Down{}, 300*time.Millisecond))
	_, err := c.Get(url)
	assert.Error(t, err, "down: the service is unreachable")
	assert.Positive(t, edgeOf(p, "a").Outcomes["conn_error"])
	time.Sleep(500 * time.Millisecond)
	code, _ := get(t, c, url)
	assert.Equal(t, http.StatusOK, code, "up again once the ttl passed")
}

func TestTCPDownKafkaStyle(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "checkout")
	c, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c.Close()
	br := bufio.NewReader(c)
	roundTrip(t, c, br)
	require.NoError(t, p.AddToxic(ctxT(t), kind.Down{}, time.Minute))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("ping\n"))
	_, err = br.ReadString('\n')
	assert.Error(t, err, "open connections are cut")
	require.NoError(t, p.RemoveToxics(ctxT(t)))
	c2, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c2.Close()
	roundTrip(t, c2, bufio.NewReader(c2))
}

// TestTCPFaultOnOpenConnectionKeepsHalfClose: a connection opened before a
// fault is handed to the toxics; a caller that sends, half-closes and then
// reads still gets every byte back, and the stream ends cleanly.
func TestTCPFaultOnOpenConnectionKeepsHalfClose(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "kafka", Protocol: TCP, Upstream: echoServer(t)}, "checkout")
	c, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c.Close()
	br := bufio.NewReader(c)
	roundTrip(t, c, br)
	require.NoError(t, p.AddToxic(ctxT(t), kind.Slicer{AverageSize: 7, Delay: 10 * time.Microsecond}, time.Minute))
	data := bytes.Repeat([]byte("0123456789"), 200)
	_, err = c.Write(data)
	require.NoError(t, err)
	require.NoError(t, c.(*net.TCPConn).CloseWrite())
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, data, got)

	require.NoError(t, p.RemoveToxics(ctxT(t)))
	require.NoError(t, p.AddToxic(ctxT(t), kind.LimitData{Bytes: 5}, time.Minute))
	c2, err := net.Dial("tcp", addrs["checkout"])
	require.NoError(t, err)
	defer c2.Close()
	_, _ = c2.Write([]byte("0123456789\n"))
	_ = c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ = io.ReadAll(c2)
	assert.Equal(t, "01234", string(got), "limit-data cuts the answer")
}

// A service called on a second port: ServePort pipes it as raw TCP, under
// the proxy's partitions and pause, counted as tcp_conn outcomes of the
// same edge and not as requests.
func TestServePortSharesPartitionPauseAndEdges(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	p, addrs := startProxy(t, Config{Service: "api", Upstream: u.addr()}, "web")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- p.ServePort(ln, "web", echoServer(t)) }()

	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}
	c, br := dial()
	roundTrip(t, c, br)
	resp, err := http.Get("http://" + addrs["web"] + "/")
	require.NoError(t, err)
	resp.Body.Close()
	edges := p.Edges()
	require.Len(t, edges, 1)
	assert.Equal(t, uint64(1), edges[0].Requests, "the HTTP request only")
	assert.Equal(t, uint64(1), edges[0].Outcomes[string(kind.OutcomeTCPConn)], "the second port's connection")

	p.SetPaused(true)
	_, err = c.Write([]byte("ping\n"))
	require.NoError(t, err)
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	_, err = br.ReadString('\n')
	require.Error(t, err, "paused: the bytes are held")
	_ = c.SetReadDeadline(time.Time{})
	p.SetPaused(false)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "ping\n", line, "unpaused: they pass")

	p.Block("web", true)
	_, err = br.ReadString('\n')
	assert.Error(t, err, "partitioned: the open connection is reset")
	// Partitioned: a new connection is reset as soon as it is accepted,
	// which a loaded client may see already in its connect.
	if c2, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Cleanup(func() { c2.Close() })
		_, _ = c2.Write([]byte("ping\n"))
		_, err = bufio.NewReader(c2).ReadString('\n')
		assert.Error(t, err, "partitioned: new connections are refused")
	} else {
		assert.ErrorIs(t, err, syscall.ECONNRESET, "partitioned: new connections are refused")
	}
	p.Block("web", false)
	c3, br3 := dial()
	roundTrip(t, c3, br3)

	bad, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	assert.ErrorIs(t, p.ServePort(bad, "web", "192.0.2.1:80"), ErrUpstreamNotAllowed)

	require.NoError(t, p.Close())
	assert.NoError(t, <-served)
}
