package proxy

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawUpstream serves HTTP/1.1 by hand: answer decides, for the n-th
// request (from 1) of the k-th connection (from 1), whether to answer it
// ("ok <path>") or to close the connection without a word.
func rawUpstream(t *testing.T, answer func(k, n int) bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			k := int(conns.Add(1))
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for n := 1; ; n++ {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					if !answer(k, n) {
						return
					}
					body := "ok " + req.URL.Path
					if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// TestStaleAtSendIsRetried: the upstream closes a used keep-alive
// connection just as a request goes out on it (it reads the request and
// hangs up): the request is sent once more on a fresh connection and the
// caller gets its answer, counted once as a 2xx.
func TestStaleAtSendIsRetried(t *testing.T) {
	up := rawUpstream(t, func(k, n int) bool { return !(k == 1 && n == 2) })
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: up}, "a")
	c := newClient(t)
	for _, path := range []string{"/one", "/two", "/three"} {
		code, body := get(t, c, "http://"+addrs["a"]+path)
		assert.Equal(t, 200, code, path)
		assert.Equal(t, "ok "+path, body)
	}
	e := waitOutcome(t, p, "a", 3)
	assert.Equal(t, uint64(3), e.Requests)
	assert.Equal(t, map[string]uint64{"2xx": 3}, e.Outcomes)
}

// TestFreshConnectionFailureIsNotRetried: a request that fails on the
// connection just opened for it is a connection error, not retried.
func TestFreshConnectionFailureIsNotRetried(t *testing.T) {
	var asked atomic.Int32
	up := rawUpstream(t, func(k, n int) bool { asked.Add(1); return false })
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: up}, "a")
	_, err := newClient(t).Get("http://" + addrs["a"] + "/")
	require.Error(t, err, "the proxy drops the client connection")
	e := waitOutcome(t, p, "a", 1)
	assert.Equal(t, map[string]uint64{outcomeConnError: 1}, e.Outcomes)
	assert.Equal(t, int32(1), asked.Load(), "sent once")
}

// TestPipelinedFastAndFullPathsKeepOrder: one client connection pipelines
// body-less requests (fast path) around one with a body (full path): the
// answers come back in order, each to its request, and every one counts.
func TestPipelinedFastAndFullPathsKeepOrder(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/slow" {
			time.Sleep(50 * time.Millisecond) // later requests are upstream meanwhile
		}
		_, _ = io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(b))
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: s\r\n\r\n"+
		"GET /b HTTP/1.1\r\nHost: s\r\n\r\n"+
		"POST /c HTTP/1.1\r\nHost: s\r\nContent-Length: 4\r\n\r\nbody"+
		"GET /d HTTP/1.1\r\nHost: s\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	for _, want := range []string{"GET /slow ", "GET /b ", "POST /c body", "GET /d "} {
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err, want)
		b, _ := io.ReadAll(resp.Body)
		assert.Equal(t, want, string(b))
	}
	e := waitOutcome(t, p, "a", 4)
	assert.Equal(t, map[string]uint64{"2xx": 4}, e.Outcomes)
}

// TestInjectedErrorWaitsForEarlierAnswers: with an error fault on one
// path, a pipelined request to it is answered after the request before it,
// not ahead of it.
func TestInjectedErrorWaitsForEarlierAnswers(t *testing.T) {
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		_, _ = io.WriteString(w, "fine")
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{ErrorRate: 1, ErrorCode: 503, ErrorBody: "injected", Exclude: []string{"/ok"}}, time.Minute))
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.WriteString(c, "GET /ok HTTP/1.1\r\nHost: s\r\n\r\nGET /bad HTTP/1.1\r\nHost: s\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	for _, want := range []int{200, 503} {
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		assert.Equal(t, want, resp.StatusCode)
	}
	e := waitOutcome(t, p, "a", 2)
	assert.Equal(t, map[string]uint64{"2xx": 1, outcomeInjectedError: 1}, e.Outcomes)
}

// TestQuickCallerGone: a caller that hangs up before its answer comes is
// caller_gone even when the whole call takes well under a millisecond:
// the request side, parked on the client, reads the close while the
// answer is on its way (no minimum wait before a check).
func TestQuickCallerGone(t *testing.T) {
	closed := make(chan struct{})
	u := newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-closed
		time.Sleep(300 * time.Microsecond)
		_, _ = io.WriteString(w, "quick")
	}))
	p, addrs := startProxy(t, Config{Service: "svc", Upstream: u.addr()}, "a")
	c, err := net.Dial("tcp", addrs["a"])
	require.NoError(t, err)
	_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: s\r\n\r\n")
	require.NoError(t, err)
	require.NoError(t, c.Close())
	close(closed)
	e := waitOutcome(t, p, "a", 1)
	assert.Equal(t, map[string]uint64{outcomeCallerGone: 1}, e.Outcomes)
}
