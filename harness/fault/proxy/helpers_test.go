package proxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(withRatios{m})
}

// withRatios prints the benchmarks' ratios against Toxiproxy once every
// benchmark has run (see ratio in bench_test.go).
type withRatios struct{ m *testing.M }

func (w withRatios) Run() int {
	code := w.m.Run()
	printRatios(os.Stdout)
	return code
}

// startProxy builds a proxy for cfg and serves one listener per caller;
// it returns the proxy and each caller's address.
func startProxy(tb testing.TB, cfg Config, callers ...string) (*Proxy, map[string]string) {
	tb.Helper()
	p, err := New(cfg)
	if err != nil {
		tb.Fatalf("new proxy: %v", err)
	}
	addrs := map[string]string{}
	done := make(chan struct{}, len(callers))
	for _, c := range callers {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("listen: %v", err)
		}
		addrs[c] = ln.Addr().String()
		go func() {
			if err := p.Serve(ln, c); err != nil {
				tb.Errorf("serve %s: %v", c, err)
			}
			done <- struct{}{}
		}()
	}
	tb.Cleanup(func() {
		_ = p.Close()
		for range callers {
			<-done
		}
	})
	return p, addrs
}

// upstream is a test HTTP service that counts its new connections.
type upstream struct {
	*httptest.Server
	conns atomic.Int64
}

func newUpstream(tb testing.TB, h http.Handler) *upstream {
	tb.Helper()
	u := &upstream{}
	u.Server = httptest.NewUnstartedServer(h)
	u.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			u.conns.Add(1)
		}
	}
	u.Start()
	tb.Cleanup(u.Close)
	return u
}

func (u *upstream) addr() string { return u.Listener.Addr().String() }

// newClient is an HTTP/1.1 keep-alive client that closes its pool at cleanup.
func newClient(tb testing.TB) *http.Client {
	tb.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 512, DisableCompression: true}
	tb.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 60 * time.Second} // generous: the machine may be busy
}

func get(tb testing.TB, c *http.Client, url string) (int, string) {
	tb.Helper()
	resp, err := c.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// edgeOf returns the caller's edge once every counted request has its
// outcome (outcomes land just after the answer reaches the caller).
func edgeOf(p *Proxy, caller string) Edge {
	deadline := time.Now().Add(2 * time.Second)
	for {
		e := Edge{Caller: caller, Callee: p.Service(), Outcomes: map[string]uint64{}}
		for _, x := range p.Edges() {
			if x.Caller == caller {
				e = x
			}
		}
		var final uint64
		for k, v := range e.Outcomes {
			if k != outcomeInjectedDelay && k != outcomeBlocked {
				final += v
			}
		}
		if final >= e.Requests || time.Now().After(deadline) {
			return e
		}
		time.Sleep(time.Millisecond)
	}
}

func ctxT(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	tb.Cleanup(cancel)
	return ctx
}
