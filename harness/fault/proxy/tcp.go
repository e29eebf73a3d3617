package proxy

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// serveTCP pipes every accepted connection straight to the upstream. While
// no TCP fault is active the bytes take no detour; when one begins, every
// open connection hands its downstream half to the in-process Toxiproxy
// (see tcpConn), so faults reach long-lived connections too.
func (p *Proxy) serveTCP(l *listener) error {
	return p.acceptEach(l, p.pipe)
}

// acceptEach hands every connection l accepts to handle on its own
// goroutine, counted in p.wg, until l fails or the proxy closes (then the
// connection just accepted is reset).
func (p *Proxy) acceptEach(l *listener, handle func(*conn)) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			reset(c)
			return net.ErrClosed
		}
		p.wg.Add(1)
		p.mu.Unlock()
		go func() {
			defer p.wg.Done()
			handle(c.(*conn))
		}()
	}
}

func (p *Proxy) pipe(c *conn) { p.pipeTo(c, p.cfg.Upstream, true) }

// pipeTo pipes c to upstream. The main port (main) counts each connection
// as a request of its edge and hands it to the toxics when a TCP fault
// begins; another port of the service (ServePort) counts it only as a
// tcp_conn outcome and is never handed off (the toxics front the main
// upstream).
func (p *Proxy) pipeTo(c *conn, upstream string, main bool) {
	defer c.Close()
	if !p.waitUnpaused(p.ctx) {
		return
	}
	up, err := p.tox.dialDirect(p.ctx, upstream, p.cfg.DialTimeout)
	if err != nil {
		p.edges.add(c.caller, outcomeConnError, main, false)
		reset(c.Conn)
		return
	}
	defer up.Close()
	p.edges.add(c.caller, outcomeTCPConn, main, false)

	var tc *tcpConn
	if main {
		tc = p.tox.track(c.Conn, up)
		defer p.tox.untrack(tc)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.copyHalf(up, c.Conn, nil) }()
	go func() { defer wg.Done(); p.copyHalf(c.Conn, up, tc) }()
	wg.Wait()
}

// copyHalf copies src to dst, holding bytes while the proxy is paused, and
// passes the end of the stream on as a half-close. With tc (the downstream
// half), it hands the rest of the stream to the toxics once a TCP fault is
// active, and then waits for the toxics to finish it.
func (p *Proxy) copyHalf(dst, src net.Conn, tc *tcpConn) {
	buf := make([]byte, 32<<10)
	handOff := func(pending []byte) bool {
		done, ok := p.tox.handOff(tc, pending)
		if ok && done != nil {
			select {
			case <-done:
			case <-p.ctx.Done():
			}
		}
		return ok
	}
	for {
		if tc != nil && p.tox.active() && handOff(nil) {
			return
		}
		n, err := src.Read(buf)
		if n > 0 && tc != nil && p.tox.active() && handOff(buf[:n]) {
			// A fault began while these bytes were read: the deadline set
			// to wake this reader loses to bytes that arrive before it
			// runs (the runtime reports the read ready), so they go
			// through the toxics first.
			return
		}
		if n > 0 {
			if !p.waitUnpaused(p.ctx) {
				break
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				_ = src.Close()
				return
			}
		}
		if err != nil {
			if tc != nil && errors.Is(err, os.ErrDeadlineExceeded) && tc.woken() {
				continue // woken to hand off: a fault began
			}
			if err != io.EOF {
				reset(dst)
				return
			}
			break
		}
	}
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	} else {
		_ = dst.Close()
	}
}

// tcpConn is an open TCP-protocol connection, known to the toxics so a
// fault that begins can take over its downstream half.
type tcpConn struct {
	client, up net.Conn

	mu   sync.Mutex
	wake bool // its reader was interrupted to hand off
}

// interrupt wakes the downstream reader so it sees the fault.
func (tc *tcpConn) interrupt() {
	tc.mu.Lock()
	tc.wake = true
	tc.mu.Unlock()
	// A deadline in the past, not time.Now(): "now" arms a timer that a
	// loaded scheduler can fire after the next answer was already read and
	// passed on directly, so the fault would miss it.
	_ = tc.up.SetReadDeadline(time.Unix(1, 0))
}

// woken reports (and clears) an interrupt, lifting the deadline it set.
func (tc *tcpConn) woken() bool {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if !tc.wake {
		return false
	}
	tc.wake = false
	_ = tc.up.SetReadDeadline(time.Time{})
	return true
}
