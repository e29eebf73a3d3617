package proxy

import (
	"bufio"
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

// TestFastPathAnswers sends body-less requests (the fast path) by hand and
// checks each kind of answer arrives byte for byte with its framing:
// lengths, chunks with trailers, HEAD, 204, pipelining, Connection: close.
func TestFastPathAnswers(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked":
			w.Header().Set("Trailer", "X-Sum")
			fl := w.(http.Flusher)
			for i := range 3 {
				fmt.Fprintf(w, "part %d;", i)
				fl.Flush()
			}
			w.Header().Set("X-Sum", "3")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/close":
			w.Header().Set("Connection", "close")
			_, _ = io.WriteString(w, "bye")
		default:
			w.Header().Set("X-Query", r.URL.RawQuery)
			_, _ = io.WriteString(w, "hello "+r.Method)
		}
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	// Two requests in one write: pipelined.
	_, err = io.WriteString(c, "GET /a?x=1 HTTP/1.1\r\nHost: s\r\n\r\nHEAD /a HTTP/1.1\r\nHost: s\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "hello GET", string(body))
	assert.Equal(t, "x=1", resp.Header.Get("X-Query"))
	resp, err = http.ReadResponse(br, &http.Request{Method: http.MethodHead})
	require.NoError(t, err)
	assert.Equal(t, int64(len("hello HEAD")), resp.ContentLength, "HEAD keeps the length, without a body")

	_, _ = io.WriteString(c, "GET /chunked HTTP/1.1\r\nHost: s\r\n\r\n")
	resp, err = http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	assert.Equal(t, "part 0;part 1;part 2;", string(body))
	assert.Equal(t, "3", resp.Trailer.Get("X-Sum"))

	_, _ = io.WriteString(c, "GET /empty HTTP/1.1\r\nHost: s\r\n\r\n")
	resp, err = http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)

	_, _ = io.WriteString(c, "GET /close HTTP/1.1\r\nHost: s\r\n\r\n")
	resp, err = http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	assert.Equal(t, "bye", string(body))
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the proxy closes after Connection: close")

	e := edgeOf(p, "a")
	assert.Equal(t, uint64(5), e.Requests)
	assert.Equal(t, map[string]uint64{"2xx": 5}, e.Outcomes)
}

// TestFastPathLeavesOddRequestsToTheFullPath: requests the fast path does
// not read (bodies, HTTP/1.0, escapes) still pass, and excludes match.
func TestFastPathLeavesOddRequestsToTheFullPath(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = io.WriteString(w, r.URL.Path+":"+string(b))
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{ErrorRate: 1, ErrorCode: 503, Exclude: []string{"/ok path"}}, time.Minute))
	c := newClient(t)
	resp, err := c.Post("http://"+addrs["a"]+"/ok%20path", "text/plain", strings.NewReader("body"))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "/ok path:body", string(b), "escaped excluded path, with a body")
	code, _ := get(t, c, "http://"+addrs["a"]+"/other")
	assert.Equal(t, 503, code, "the fast path applies the fault")
}

// TestFastPathPassesEarlyHints: an interim 103 answer to a body-less
// request reaches the client before the final one.
func TestFastPathPassesEarlyHints(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		_, _ = io.WriteString(w, "page")
	}))
	_, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: s\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusEarlyHints, resp.StatusCode)
	resp, err = http.ReadResponse(br, nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "page", string(body))
}
