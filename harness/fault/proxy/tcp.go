package proxy

import (
	"io"
	"net"
	"sync"
)

// serveTCP pipes every accepted connection to the upstream, through the
// in-process Toxiproxy so TCP faults reach long-lived connections too.
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

func (p *Proxy) pipe(c *conn) {
	defer c.Close()
	if !p.waitUnpaused(p.ctx) {
		return
	}
	addr, err := p.tox.dialAddr()
	var up net.Conn
	if err == nil {
		d := net.Dialer{Timeout: p.cfg.DialTimeout}
		up, err = d.DialContext(p.ctx, "tcp", addr)
	}
	if err != nil {
		p.edges.add(c.caller, outcomeConnError, true, false)
		reset(c.Conn)
		return
	}
	defer up.Close()
	p.edges.add(c.caller, outcomeTCPConn, true, false)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.copyHalf(up, c.Conn) }()
	go func() { defer wg.Done(); p.copyHalf(c.Conn, up) }()
	wg.Wait()
}

// copyHalf copies src to dst, holding bytes while the proxy is paused, and
// passes the end of the stream on as a half-close.
func (p *Proxy) copyHalf(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
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
