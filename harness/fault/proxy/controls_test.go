package proxy

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPauseHoldsThenReleases(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "cart", Upstream: okUpstream(t).addr()}, "a")
	c := newClient(t)
	p.SetPaused(true)
	assert.True(t, p.Paused())
	got := make(chan int, 1)
	go func() {
		resp, err := c.Get("http://" + addrs["a"] + "/")
		if err != nil {
			got <- 0
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	select {
	case code := <-got:
		t.Fatalf("a paused service answered %d", code)
	case <-time.After(300 * time.Millisecond):
	}
	p.SetPaused(false)
	select {
	case code := <-got:
		assert.Equal(t, 200, code, "the held request proceeds on unpause")
	case <-time.After(5 * time.Second):
		t.Fatal("request still held after unpause")
	}
}

func TestBlockPartitionsOneCaller(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: okUpstream(t).addr()}, "frontend", "recommendation")
	// A raw keep-alive connection from the caller about to be partitioned.
	conn, err := net.Dial("tcp", addrs["recommendation"])
	require.NoError(t, err)
	defer conn.Close()
	br := bufio.NewReader(conn)
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	resp.Body.Close()

	p.Block("recommendation", true)
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	_, err = http.ReadResponse(br, nil)
	assert.Error(t, err, "the open connection is reset")

	_, err = newClient(t).Get("http://" + addrs["recommendation"] + "/")
	assert.Error(t, err, "new connections are refused")
	code, _ := get(t, newClient(t), "http://"+addrs["frontend"]+"/")
	assert.Equal(t, 200, code, "other callers are not partitioned")
	assert.Positive(t, edgeOf(p, "recommendation").Outcomes["blocked"])

	p.Block("recommendation", false)
	code, _ = get(t, newClient(t), "http://"+addrs["recommendation"]+"/")
	assert.Equal(t, 200, code, "healed")
}

func TestCallerFromRemoteAddr(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "catalog", Upstream: okUpstream(t).addr()}, "")
	c := newClient(t)
	get(t, c, "http://"+addrs[""]+"/")
	p.SetCallers(map[string]string{"127.0.0.1": "frontend"})
	c.Transport.(*http.Transport).CloseIdleConnections() // callers are named per connection
	get(t, c, "http://"+addrs[""]+"/")
	assert.Equal(t, uint64(1), edgeOf(p, ClientCaller).Requests)
	assert.Equal(t, uint64(1), edgeOf(p, "frontend").Requests)
}

func TestCloseTwiceAndServeAfterClose(t *testing.T) {
	p, err := New(Config{Service: "x", Upstream: "127.0.0.1:1"})
	require.NoError(t, err)
	require.NoError(t, p.Close())
	require.NoError(t, p.Close())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	assert.NoError(t, p.Serve(ln, "a"))
	_, err = net.Dial("tcp", ln.Addr().String())
	assert.Error(t, err, "Serve after Close closes the listener")
}

func TestConfigValidate(t *testing.T) {
	err := Config{Protocol: "udp", Upstream: "nope"}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service name")
	assert.Contains(t, err.Error(), "protocol")
	assert.Contains(t, err.Error(), "upstream")
}
