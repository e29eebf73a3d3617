package proxy

import (
	"bufio"
	"net"
	"sync"
)

// serveHTTP accepts connections and sends each down its path: HTTP/1.x to
// the per-connection forwarder, HTTP/2 cleartext (gRPC; recognised by its
// "PRI * HTTP/2.0" preface) to a net/http server with the reverse proxy.
func (f *httpForwarder) serveHTTP(l *listener) error {
	p := f.p
	h2 := newChanListener(l.Addr())
	srv := f.server()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return net.ErrClosed
	}
	p.servers = append(p.servers, srv)
	p.mu.Unlock()
	h2done := make(chan struct{})
	go func() {
		defer close(h2done)
		_ = srv.Serve(h2)
	}()
	defer func() {
		_ = h2.Close()
		<-h2done
	}()
	return p.acceptEach(l, func(c *conn) { f.dispatch(c, h2) })
}

func (f *httpForwarder) dispatch(c *conn, h2 *chanListener) {
	br := bufio.NewReaderSize(c, 16<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "PRI" {
		if !h2.push(&peekedConn{conn: c, r: br}) {
			_ = c.Close()
		}
		return
	}
	defer c.Close()
	h := &h1conn{f: f, c: c, br: br, bw: bufio.NewWriterSize(c, 16<<10)}
	h.serve()
}

// peekedConn is a client connection whose first bytes sit in r.
type peekedConn struct {
	*conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// chanListener hands connections accepted elsewhere to an http.Server.
type chanListener struct {
	addr net.Addr
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }
