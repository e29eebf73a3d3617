package proxy

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPassThroughKeepAliveAndHeaders(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-Host", r.Host)
		w.Header().Set("X-Seen-Encoding", r.Header.Get("Accept-Encoding"))
		w.Header().Set("X-Seen-Forwarded", r.Header.Get("X-Forwarded-For"))
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.RequestURI())
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "frontend")
	c := newClient(t)
	for i := range 20 {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/a/b?i=%d", addrs["frontend"], i), nil)
		req.Host = "shop.example"
		req.Header.Set("Accept-Encoding", "br")
		req.Header.Set("X-Forwarded-For", "10.0.0.1")
		resp, err := c.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusTeapot, resp.StatusCode)
		assert.Equal(t, fmt.Sprintf("GET /a/b?i=%d", i), string(body))
		assert.Equal(t, "shop.example", resp.Header.Get("X-Seen-Host"))
		assert.Equal(t, "br", resp.Header.Get("X-Seen-Encoding"))
		assert.Equal(t, "10.0.0.1", resp.Header.Get("X-Seen-Forwarded"))
	}
	assert.Equal(t, int64(1), u.conns.Load(), "sequential requests must share one upstream connection")
	e := edgeOf(p, "frontend")
	assert.Equal(t, uint64(20), e.Requests)
	assert.Equal(t, uint64(20), e.Outcomes["4xx"])
}

func TestPassThroughLargeBodies(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, r.Body) // echo, chunked back
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	body := make([]byte, 8<<20)
	_, _ = rand.Read(body)
	resp, err := newClient(t).Post("http://"+addrs["a"]+"/echo", "application/octet-stream", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, sha256.Sum256(body), sha256.Sum256(got))
}

func TestPassThroughStreamsChunks(t *testing.T) {
	release := make(chan struct{})
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "first\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		fmt.Fprint(w, "second\n")
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	resp, err := newClient(t).Get("http://" + addrs["a"] + "/stream")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	require.NoError(t, err, "the first chunk must arrive before the upstream finishes")
	assert.Equal(t, "first\n", line)
	close(release)
	line, err = br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "second\n", line)
}

func TestPassThroughUpgrade(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			http.Error(w, "no upgrade", http.StatusBadRequest)
			return
		}
		conn, brw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprint(brw, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		_ = brw.Flush()
		line, _ := brw.ReadString('\n')
		fmt.Fprint(conn, strings.ToUpper(line))
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	conn, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	fmt.Fprint(conn, "hello over the upgraded stream\n")
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HELLO OVER THE UPGRADED STREAM\n", line)
}

func TestEdgesCountPerCaller(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: u.addr()}, "frontend", "recommendation")
	c := newClient(t)
	for range 3 {
		get(t, c, "http://"+addrs["frontend"]+"/ok")
	}
	for range 5 {
		get(t, c, "http://"+addrs["recommendation"]+"/ok")
	}
	get(t, c, "http://"+addrs["recommendation"]+"/fail")
	assert.Equal(t, Edge{Caller: "frontend", Callee: "catalog", Requests: 3, Outcomes: map[string]uint64{"2xx": 3}},
		edgeOf(p, "frontend"))
	assert.Equal(t, Edge{Caller: "recommendation", Callee: "catalog", Requests: 6,
		Outcomes: map[string]uint64{"2xx": 5, "5xx": 1}}, edgeOf(p, "recommendation"))
	assert.Len(t, p.Edges(), 2)
}

func TestUpstreamDownDropsConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := ln.Addr().String()
	ln.Close()
	p, addrs := startProxy(t, Config{Service: "gone", Upstream: dead}, "a")
	_, err = newClient(t).Get("http://" + addrs["a"] + "/")
	require.Error(t, err, "a dead upstream must look dead, not answer")
	assert.Positive(t, edgeOf(p, "a").Outcomes["conn_error"])
}
