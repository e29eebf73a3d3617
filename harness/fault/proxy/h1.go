package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// h1conn forwards the HTTP/1.x requests of one client connection over one
// upstream connection of its own, as an L4 proxy would, but reading each
// request and response head so faults and outcomes apply per request. No
// connection pool and no goroutine hand-offs on the way: this keeps the
// pass-through cost per hop near Toxiproxy's byte pipe.
type h1conn struct {
	f      *httpForwarder
	c      *conn
	br     *bufio.Reader
	bw     *bufio.Writer
	up     net.Conn
	upBR   *bufio.Reader
	upBW   *bufio.Writer
	upTox  bool // up goes through the toxics
	upUsed time.Time
	upStop func() bool
	ans    *answers    // the fast path's answer goroutine, if one runs
	gone   atomic.Bool // the client side has been read to its end
}

// errRetry marks a failure on a reused upstream connection before any
// answer: the upstream had closed it while idle, so one retry on a fresh
// connection is safe for a request without a body.
var errRetry = errors.New("stale upstream connection")

func (h *h1conn) serve() {
	defer func() {
		h.gone.Store(true) // answers still pending reach nobody
		h.closeUp()
	}()
	for {
		if raw, ok := readSimpleRequest(h.br); ok {
			if !h.forwardRaw(raw) {
				return
			}
			continue
		}
		req, err := http.ReadRequest(h.br)
		if err != nil {
			return // client closed, or not HTTP: drop it
		}
		h.detach() // the full path reads the answers itself
		if !h.forward(req) {
			return
		}
	}
}

// forward handles one request; false means the connection must close.
func (h *h1conn) forward(req *http.Request) bool {
	p := h.f.p
	pl, c, ok := h.open(func() string { return req.URL.Path }, func() *http.Request { return req })
	if !ok {
		return false
	}
	if pl.fail {
		c.record(outcomeInjectedError)
		return h.writeInjected(req, pl.code, pl.body)
	}

	resp, wrote, err := h.roundTrip(req, true)
	if errors.Is(err, errRetry) {
		resp, wrote, err = h.roundTrip(req, false)
	}
	if err == nil && !p.waitUnpaused(p.ctx) {
		resp.Body.Close()
		err = context.Canceled
	}
	if err != nil {
		c.record(outcomeConnError)
		h.abort(wrote)
		return false
	}
	// A caller that gave up before the answer came is no success, whatever
	// the callee answered: the answer reaches nobody. (While a request body
	// still streams, its reader owns the client side: no peeking then.)
	gone := wrote == nil && h.callerLeft(&c)
	if resp.StatusCode == http.StatusSwitchingProtocols {
		c.record(statusOutcome(resp.StatusCode))
		h.tunnel(resp)
		return false
	}
	if !req.ProtoAtLeast(1, 1) && resp.ContentLength < 0 {
		// An HTTP/1.0 client cannot read chunks: send the body raw, then close.
		resp.TransferEncoding, resp.Close = nil, true
		resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.0", 1, 0
	}
	if !h.delivered(h.writeFull(resp), gone, &c) {
		h.abort(wrote)
		return false
	}
	c.record(statusOutcome(resp.StatusCode))
	if req.Close || resp.Close {
		h.abort(wrote) // a body the upstream never read is not waited for
		return false
	}
	if wrote != nil && <-wrote != nil {
		return false
	}
	return true
}

// callerGone reports whether the client closed its connection: no
// pipelined request waits in the buffer and the socket reads EOF.
func (h *h1conn) callerGone() bool {
	return h.br.Buffered() == 0 && peerClosed(h.c.Conn)
}

// abort ends the connection for good, after the request body writer if
// one still runs (closing both ends unblocks it).
func (h *h1conn) abort(wrote chan error) {
	h.closeUp()
	if wrote != nil {
		_ = h.c.Conn.Close()
		<-wrote
	}
}

// roundTrip sends req upstream and reads the answer, passing interim 1xx
// answers (100 Continue) on to the client. A request body streams from a
// goroutine while the answer is read (so an early answer or a 100 Continue
// is not stuck behind it); wrote reports when it is done.
func (h *h1conn) roundTrip(req *http.Request, mayRetry bool) (resp *http.Response, wrote chan error, err error) {
	reused, err := h.upstream()
	if err != nil {
		return nil, nil, err
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = []string{""} // Request.Write would add Go's
	}
	if req.ContentLength != 0 || len(req.TransferEncoding) > 0 {
		wrote = make(chan error, 1)
		bw := h.upBW // closeUp may clear the field while the body streams
		go func() { wrote <- writeRequest(req, bw) }()
	} else if err := writeRequest(req, h.upBW); err != nil {
		h.closeUp()
		if reused && mayRetry {
			return nil, nil, errRetry
		}
		return nil, nil, err
	}
	for {
		resp, err := http.ReadResponse(h.upBR, req)
		if err != nil {
			h.closeUp()
			if wrote == nil && reused && mayRetry {
				return nil, nil, errRetry
			}
			return nil, wrote, err
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			if err := resp.Write(h.bw); err != nil {
				return nil, wrote, err
			}
			if err := h.bw.Flush(); err != nil {
				return nil, wrote, err
			}
			continue
		}
		h.upUsed = time.Now()
		return resp, wrote, nil
	}
}

// upstream readies the upstream connection: the one in use if it is still
// good (and on the right path: through the toxics exactly while a TCP fault
// is active), else a new one; reused tells which.
func (h *h1conn) upstream() (reused bool, err error) {
	tox := h.f.p.tox.active()
	if h.up != nil && h.upTox != tox {
		h.closeUp() // a TCP fault began or ended: switch paths
	}
	if h.up != nil && time.Since(h.upUsed) > staleCheckAfter && !h.upAlive() {
		h.closeUp() // the upstream closed it while idle
	}
	if h.up != nil {
		return true, nil
	}
	return false, h.dial(tox)
}

// staleCheckAfter is how long an upstream connection may idle before it is
// checked for a close from the other side before reuse. A request with a
// body cannot be retried safely, so it must not be sent on a dead one.
const staleCheckAfter = time.Second

// upAlive reports whether the idle upstream connection is still open.
func (h *h1conn) upAlive() bool {
	if h.upBR.Buffered() > 0 {
		return false // bytes nobody asked for: do not trust this connection
	}
	return connAlive(h.up)
}

func writeRequest(req *http.Request, bw *bufio.Writer) error {
	if err := req.Write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func (h *h1conn) dial(tox bool) error {
	p := h.f.p
	up, err := h.dialUp(tox)
	if err != nil {
		return err
	}
	h.up, h.upTox = up, tox
	h.upBR, h.upBW = bufio.NewReaderSize(up, 16<<10), bufio.NewWriterSize(up, 16<<10)
	h.upStop = context.AfterFunc(p.ctx, func() { _ = up.Close() })
	return nil
}

// dialUp connects to the upstream, through the toxics when tox is set.
func (h *h1conn) dialUp(tox bool) (net.Conn, error) {
	p := h.f.p
	addr := p.cfg.Upstream
	if tox {
		var err error
		if addr, err = p.tox.dialAddr(); err != nil {
			return nil, err
		}
	}
	d := net.Dialer{Timeout: p.cfg.DialTimeout}
	return d.DialContext(p.ctx, "tcp", addr)
}

func (h *h1conn) closeUp() {
	h.endAnswers(func(a *answers) { _ = a.up.Close() })
	if h.up == nil {
		return
	}
	h.upStop()
	_ = h.up.Close()
	h.up, h.upBR, h.upBW = nil, nil, nil
}

// writeInjected answers with the fault's error, as xk6-disruptor does.
func (h *h1conn) writeInjected(req *http.Request, code int, body string) bool {
	// Drain a small body so the connection stays usable; close on a big one.
	n, _ := io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
	return h.writeError(code, body, !req.Close && n < 1<<20)
}

// writeError writes an error answer; keep says whether the connection
// stays open after it.
func (h *h1conn) writeError(code int, body string, keep bool) bool {
	fmt.Fprintf(h.bw, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %s\r\n",
		code, http.StatusText(code), strconv.Itoa(len(body)))
	if !keep {
		h.bw.WriteString("Connection: close\r\n")
	}
	h.bw.WriteString("\r\n")
	h.bw.WriteString(body)
	return h.bw.Flush() == nil && keep
}

// tunnel passes an upgraded connection (websocket, ...) through as bytes.
func (h *h1conn) tunnel(resp *http.Response) {
	if err := resp.Write(h.bw); err != nil || h.bw.Flush() != nil {
		return
	}
	up, upBR := h.up, h.upBR
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(up, h.br) // client → upstream, including buffered bytes
		_ = up.Close()
		close(done)
	}()
	_, _ = io.Copy(h.c.Conn, upBR)
	_ = h.c.Conn.Close()
	<-done
}

// writeFull writes a parsed answer to the client; a streaming body (no
// length) passes on each piece as it comes.
func (h *h1conn) writeFull(resp *http.Response) error {
	var w io.Writer = h.bw
	if resp.ContentLength < 0 {
		w = flushWriter{h.bw}
	}
	err := resp.Write(w)
	resp.Body.Close()
	return err
}

// flushWriter flushes after every write, for streaming bodies.
type flushWriter struct{ bw *bufio.Writer }

func (w flushWriter) Write(b []byte) (int, error) {
	n, err := w.bw.Write(b)
	if err == nil {
		err = w.bw.Flush()
	}
	return n, err
}
