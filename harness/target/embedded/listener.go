package embedded

import (
	"net"
	"sync"
)

// trackListener remembers every connection it accepted, so killing a
// service also drops its open connections, and signals the first Accept
// call: the readiness of a service without an HTTP health path.
type trackListener struct {
	net.Listener
	accepting chan struct{}
	once      sync.Once

	mu     sync.Mutex
	conns  map[*trackConn]struct{}
	closed bool
}

func newTrackListener(ln net.Listener) *trackListener {
	return &trackListener{Listener: ln, accepting: make(chan struct{}), conns: map[*trackConn]struct{}{}}
}

func (l *trackListener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.accepting) })
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackConn{Conn: c, l: l}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		_ = c.Close()
		return nil, net.ErrClosed
	}
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

func (l *trackListener) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	return l.Listener.Close()
}

// closeConns closes every connection still open, as a dying process would.
func (l *trackListener) closeConns() {
	l.mu.Lock()
	conns := l.conns
	l.conns = map[*trackConn]struct{}{}
	l.mu.Unlock()
	for c := range conns {
		if tcp, ok := c.Conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
		_ = c.Conn.Close()
	}
}

type trackConn struct {
	net.Conn
	l    *trackListener
	once sync.Once
}

func (c *trackConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
