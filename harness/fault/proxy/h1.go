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
	upStop func() bool
}

// errRetry marks a failure on a reused upstream connection before any
// answer: the upstream had closed it while idle, so one retry on a fresh
// connection is safe for a request without a body.
var errRetry = errors.New("stale upstream connection")

func (h *h1conn) serve() {
	defer h.closeUp()
	for {
		req, err := http.ReadRequest(h.br)
		if err != nil {
			return // client closed, or not HTTP: drop it
		}
		if !h.forward(req) {
			return
		}
	}
}

// forward handles one request; false means the connection must close.
func (h *h1conn) forward(req *http.Request) bool {
	p := h.f.p
	start := time.Now()
	caller := h.c.caller
	p.edges.begin(caller)
	pl := p.planFor(false, req.URL.Path)
	if p.planHook != nil {
		p.planHook(req, pl)
	}
	delayed := pl.delay > 0
	record := func(outcome string) {
		p.edges.add(caller, outcome, false, delayed)
		p.edges.observe(caller, time.Since(start))
	}
	if !p.waitUnpaused(p.ctx) || !sleepCtx(p.ctx, pl.delay) {
		record(outcomeConnError)
		return false
	}
	if pl.fail {
		record(outcomeInjectedError)
		return h.writeInjected(req, pl.code, pl.body)
	}

	resp, err := h.roundTrip(req, true)
	if errors.Is(err, errRetry) {
		resp, err = h.roundTrip(req, false)
	}
	if err != nil || !p.waitUnpaused(p.ctx) {
		record(outcomeConnError)
		return false
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		record(statusOutcome(resp.StatusCode))
		h.tunnel(resp)
		return false
	}
	var w io.Writer = h.bw
	if resp.ContentLength < 0 {
		w = flushWriter{h.bw} // streaming: pass each piece on as it comes
	}
	werr := resp.Write(w)
	resp.Body.Close()
	if ferr := h.bw.Flush(); werr == nil {
		werr = ferr
	}
	if werr != nil {
		record(outcomeConnError)
		return false
	}
	record(statusOutcome(resp.StatusCode))
	if req.Close || resp.Close {
		return false
	}
	return true
}

// roundTrip sends req upstream and reads the answer, passing interim 1xx
// answers (100 Continue) on to the client.
func (h *h1conn) roundTrip(req *http.Request, mayRetry bool) (*http.Response, error) {
	p := h.f.p
	tox := p.tox.active()
	if h.up != nil && h.upTox != tox {
		h.closeUp() // a TCP fault began or ended: switch paths
	}
	reused := h.up != nil
	if !reused {
		if err := h.dial(tox); err != nil {
			return nil, err
		}
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = []string{""} // Request.Write would add Go's
	}
	hasBody := req.ContentLength != 0 || len(req.TransferEncoding) > 0
	var wrote chan error
	if hasBody {
		// The body streams while the answer is read, so an early answer or
		// a 100 Continue is not stuck behind it.
		wrote = make(chan error, 1)
		go func() { wrote <- h.writeRequest(req) }()
	} else if err := h.writeRequest(req); err != nil {
		h.closeUp()
		if reused && mayRetry {
			return nil, errRetry
		}
		return nil, err
	}
	for {
		resp, err := http.ReadResponse(h.upBR, req)
		if err != nil {
			h.closeUp()
			if wrote != nil {
				<-wrote
			} else if reused && mayRetry && !errors.Is(err, net.ErrClosed) {
				return nil, errRetry
			}
			return nil, err
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			if err := resp.Write(h.bw); err != nil {
				return nil, err
			}
			if err := h.bw.Flush(); err != nil {
				return nil, err
			}
			continue
		}
		if wrote != nil {
			// Wait for the body only once the answer is complete: hand the
			// wait to the body's EOF.
			resp.Body = &afterBody{ReadCloser: resp.Body, wrote: wrote}
		}
		return resp, nil
	}
}

func (h *h1conn) writeRequest(req *http.Request) error {
	if err := req.Write(h.upBW); err != nil {
		return err
	}
	return h.upBW.Flush()
}

func (h *h1conn) dial(tox bool) error {
	p := h.f.p
	addr := p.cfg.Upstream
	if tox {
		var err error
		if addr, err = p.tox.dialAddr(); err != nil {
			return err
		}
	}
	d := net.Dialer{Timeout: p.cfg.DialTimeout}
	up, err := d.DialContext(p.ctx, "tcp", addr)
	if err != nil {
		return err
	}
	h.up, h.upTox = up, tox
	h.upBR, h.upBW = bufio.NewReaderSize(up, 16<<10), bufio.NewWriterSize(up, 16<<10)
	h.upStop = context.AfterFunc(p.ctx, func() { _ = up.Close() })
	return nil
}

func (h *h1conn) closeUp() {
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
	keep := !req.Close && n < 1<<20
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

// flushWriter flushes after every write, for streaming bodies.
type flushWriter struct{ bw *bufio.Writer }

func (w flushWriter) Write(b []byte) (int, error) {
	n, err := w.bw.Write(b)
	if err == nil {
		err = w.bw.Flush()
	}
	return n, err
}

// afterBody waits for the request body to finish sending once the response
// body is done, so the next request never overlaps it.
type afterBody struct {
	io.ReadCloser
	wrote chan error
	err   error
	done  bool
}

func (b *afterBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		if werr := <-b.wrote; werr != nil {
			b.err = werr
			return n, werr
		}
	}
	return n, err
}

func (b *afterBody) Close() error {
	err := b.ReadCloser.Close()
	if !b.done {
		b.done = true
		b.err = <-b.wrote
	}
	if b.err != nil {
		return b.err
	}
	return err
}
