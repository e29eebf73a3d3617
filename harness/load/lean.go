package load

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The lean path sends plain-HTTP/1.1 requests on a connection the VU owns,
// reading the response on the VU's own goroutine, as k6 and wrk do. Go's
// http.Transport hands every request to two connection goroutines over
// channels; on a loopback benchmark those handoffs, not the network, are
// the cost. Anything unusual (TLS, Expect, a second host) takes the
// standard transport.

// leanConn is one kept-alive connection of a VU.
type leanConn struct {
	addr string
	c    *countingConn
	br   *bufio.Reader
	bw   *bufio.Writer
}

// leanSlot is a VU's single idle connection, bound to the first host:port
// the VU talks to.
type leanSlot struct {
	addr atomic.Pointer[string]
	idle atomic.Pointer[leanConn]

	// one context.AfterFunc per VU and context (the iteration's ctx is the
	// same for many requests) instead of one per request: it cuts the
	// connection in use when the context ends.
	mu      sync.Mutex
	watched context.Context
	busy    atomic.Pointer[leanConn]
}

// watch arranges for lc to be cut when ctx ends; done undoes it.
func (s *leanSlot) watch(ctx context.Context, lc *leanConn) (done func() (cancelled bool)) {
	if ctx.Done() == nil {
		return func() bool { return false }
	}
	s.mu.Lock()
	if s.watched == nil {
		s.watched = ctx
		context.AfterFunc(ctx, func() {
			if c := s.busy.Load(); c != nil {
				_ = c.c.SetDeadline(time.Unix(1, 0))
			}
		})
	}
	shared := s.watched == ctx
	s.mu.Unlock()
	if shared && s.busy.CompareAndSwap(nil, lc) {
		if ctx.Err() != nil { // ended before busy was set: the AfterFunc may have missed it
			_ = lc.c.SetDeadline(time.Unix(1, 0))
		}
		return func() bool {
			s.busy.CompareAndSwap(lc, nil)
			return ctx.Err() != nil
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = lc.c.SetDeadline(time.Unix(1, 0)) })
	return func() bool { return !stop() }
}

func (s *leanSlot) close() {
	if c := s.idle.Swap(nil); c != nil {
		_ = c.c.Close()
	}
}

// leanEligible reports whether req can take the lean path.
func leanEligible(req *http.Request) bool {
	return req.URL.Scheme == "http" && req.Header.Get("Expect") == "" &&
		(req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
}

// hostPort is req's dial address.
func hostPort(req *http.Request) string {
	if req.URL.Port() != "" {
		return req.URL.Host
	}
	return net.JoinHostPort(req.URL.Hostname(), "80")
}

// leanDo sends req on the VU's connection. It returns ok=false, before
// sending anything, when req belongs to another host than the slot's.
func (c *Client) leanDo(req *http.Request, cfg *requestConfig, res *Response, tr *tracer) (bool, error) {
	vu := c.vu
	addr := hostPort(req)
	if a := vu.lean.addr.Load(); a == nil {
		vu.lean.addr.CompareAndSwap(nil, &addr)
	} else if *a != addr {
		return false, nil
	}
	if a := vu.lean.addr.Load(); *a != addr {
		return false, nil
	}
	for attempt := 0; ; attempt++ {
		lc, reused, err := c.leanConn(req.Context(), addr, tr)
		if err != nil {
			return true, err
		}
		err = c.leanRoundTrip(req, cfg, res, tr, lc)
		if err == nil {
			return true, nil
		}
		_ = lc.c.Close()
		// a kept-alive connection the server closed: retry once on a new one,
		// when nothing of the response arrived and the body can be replayed
		if !reused || attempt > 0 || !tr.firstByte.IsZero() || req.Context().Err() != nil || !rewind(req) {
			return true, err
		}
		*tr = tracer{ct: tr.ct}
	}
}

func rewind(req *http.Request) bool {
	if req.Body == nil || req.Body == http.NoBody {
		return true
	}
	b, err := req.GetBody()
	if err != nil {
		return false
	}
	req.Body = b
	return true
}

// leanConn takes the VU's idle connection or dials a new one.
func (c *Client) leanConn(ctx context.Context, addr string, tr *tracer) (*leanConn, bool, error) {
	if lc := c.vu.lean.idle.Swap(nil); lc != nil {
		tr.gotConn = time.Now()
		tr.conn, tr.read0, tr.written0 = lc.c, lc.c.read.Load(), lc.c.written.Load()
		return lc, true, nil
	}
	eng := c.vu.sr.eng
	tr.connectStart = time.Now()
	conn, err := eng.dial(ctx, "tcp", addr)
	tr.connectDone = time.Now()
	if err != nil {
		return nil, false, err
	}
	cc := conn.(*countingConn)
	tr.gotConn = tr.connectDone
	tr.conn = cc
	return &leanConn{addr: addr, c: cc, br: bufio.NewReaderSize(cc, 4096), bw: bufio.NewWriterSize(cc, 4096)}, false, nil
}

func (c *Client) leanRoundTrip(req *http.Request, cfg *requestConfig, res *Response, tr *tracer, lc *leanConn) (err error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return err
	}
	// The request's own bound, set before watch so a cancellation's
	// immediate deadline always wins over it.
	_ = lc.c.SetDeadline(cfg.deadline(time.Now()))
	done := c.vu.lean.watch(ctx, lc)
	defer func() {
		if done() && err != nil {
			err = ctx.Err() // the deadline we set, not the network, broke it
		}
	}()
	if !writeSimpleRequest(lc.bw, req) {
		if err := req.Write(lc.bw); err != nil {
			return err
		}
	}
	if err := lc.bw.Flush(); err != nil {
		return err
	}
	tr.wrote = time.Now()
	if _, err := lc.br.Peek(1); err != nil {
		return err
	}
	tr.firstByte = time.Now()
	resp, err := http.ReadResponse(lc.br, req)
	if err != nil {
		return err
	}
	if err := fill(res, resp, cfg); err != nil {
		return err
	}
	if resp.Close || req.Close || ctx.Err() != nil {
		_ = lc.c.Close()
		return nil
	}
	_ = lc.c.SetDeadline(time.Time{}) // idle connections have no request bound
	if !c.vu.lean.idle.CompareAndSwap(nil, lc) {
		_ = lc.c.Close() // a concurrent request of the same VU keeps its own
	}
	return nil
}

// writeSimpleRequest writes a body-less request without net/http's
// per-request allocations; false (nothing written) for anything else.
func writeSimpleRequest(bw *bufio.Writer, req *http.Request) bool {
	if (req.Body != nil && req.Body != http.NoBody) || req.Close || req.URL.Opaque != "" ||
		len(req.TransferEncoding) > 0 || req.Method == "" || strings.ContainsAny(req.Method, " \r\n") {
		return false
	}
	for k, vs := range req.Header {
		if strings.ContainsAny(k, " :\r\n") {
			return false
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				return false
			}
		}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	bw.WriteString(req.Method)
	bw.WriteByte(' ')
	if p := req.URL.EscapedPath(); p != "" {
		bw.WriteString(p)
	} else {
		bw.WriteByte('/')
	}
	if req.URL.RawQuery != "" || req.URL.ForceQuery {
		bw.WriteByte('?')
		bw.WriteString(req.URL.RawQuery)
	}
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(host)
	bw.WriteString("\r\n")
	if _, ok := req.Header["User-Agent"]; !ok {
		bw.WriteString("User-Agent: Go-http-client/1.1\r\n")
	}
	for k, vs := range req.Header {
		if k == "Host" || k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
	_, err := bw.WriteString("\r\n")
	return err == nil
}
