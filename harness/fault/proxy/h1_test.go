package proxy

import (
	"bufio"
	"bytes"
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

func TestHTTP10ClientGetsNoChunks(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "part one, ")
		w.(http.Flusher).Flush() // forces chunked toward HTTP/1.1 peers
		fmt.Fprint(w, "part two")
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprint(c, "GET / HTTP/1.0\r\nHost: x\r\n\r\n")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	raw, err := io.ReadAll(c)
	require.NoError(t, err, "the proxy closes after a length-less HTTP/1.0 answer")
	assert.NotContains(t, strings.ToLower(string(raw)), "transfer-encoding")
	assert.True(t, strings.HasSuffix(string(raw), "\r\n\r\npart one, part two"), "%q", raw)
}

func TestExpectContinue(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, r.Body)
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	tr := &http.Transport{ExpectContinueTimeout: 5 * time.Second}
	defer tr.CloseIdleConnections()
	body := bytes.Repeat([]byte("x"), 1<<20)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addrs["a"]+"/", bytes.NewReader(body))
	req.Header.Set("Expect", "100-continue")
	start := time.Now()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	assert.Equal(t, len(body), len(got))
	assert.Less(t, time.Since(start), 4*time.Second, "100 Continue passed through, the client did not wait out its timeout")
}

func TestEarlyAnswerDoesNotHang(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Error(w, "too big", http.StatusRequestEntityTooLarge)
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", 64<<20)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err, "the early answer arrives while the body is still unsent")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, uint64(1), edgeOf(p, "a").Outcomes["4xx"])
}

func TestStaleUpstreamConnectionIsRetried(t *testing.T) {
	u := okUpstream(t)
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c := newClient(t)
	code, _ := get(t, c, "http://"+addrs["a"]+"/")
	require.Equal(t, 200, code)
	u.CloseClientConnections() // the upstream drops its idle keep-alive connections
	time.Sleep(20 * time.Millisecond)
	code, _ = get(t, c, "http://"+addrs["a"]+"/")
	assert.Equal(t, 200, code, "a GET on a stale upstream connection is retried on a fresh one")
}

func TestIdleUpstreamCloseBeforePost(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, r.Body)
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c := newClient(t)
	post := func() (int, error) {
		resp, err := c.Post("http://"+addrs["a"]+"/", "text/plain", strings.NewReader("order"))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	code, err := post()
	require.NoError(t, err)
	require.Equal(t, 200, code)
	u.CloseClientConnections()
	time.Sleep(staleCheckAfter + 100*time.Millisecond)
	code, err = post()
	require.NoError(t, err, "a POST after the upstream dropped an idle connection goes out on a fresh one")
	assert.Equal(t, 200, code)
}
