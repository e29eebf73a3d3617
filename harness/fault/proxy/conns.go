package proxy

import (
	"net"
	"sync"
)

// conn is an accepted client connection that knows its caller and leaves
// the proxy's connection table when closed, so Block and Close can reach
// every open connection (including hijacked ones, e.g. websockets).
type conn struct {
	net.Conn
	caller string
	p      *Proxy
	once   sync.Once
}

func (c *conn) Close() error {
	c.once.Do(func() { c.p.untrack(c) })
	return c.Conn.Close()
}

// reset closes the connection with an RST instead of a FIN, as a broken
// network path would.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// listener hands out tracked connections and refuses (resets) those of
// blocked callers.
type listener struct {
	net.Listener
	p      *Proxy
	caller string // "" means: ask callerOf
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		caller := l.caller
		if caller == "" {
			caller = l.p.callerOf(c.RemoteAddr().String())
		}
		if l.p.isBlocked(caller) {
			l.p.edges.add(caller, outcomeBlocked, false, false)
			reset(c)
			continue
		}
		tc := &conn{Conn: c, caller: caller, p: l.p}
		if !l.p.track(tc) {
			reset(c)
			return nil, net.ErrClosed
		}
		return tc, nil
	}
}

func (p *Proxy) track(c *conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c *conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// resetConns resets every open connection whose caller matches (all when
// caller is "").
func (p *Proxy) resetConns(caller string) {
	p.mu.Lock()
	var victims []*conn
	for c := range p.conns {
		if caller == "" || c.caller == caller {
			victims = append(victims, c)
		}
	}
	p.mu.Unlock()
	for _, c := range victims {
		reset(c.Conn)
		c.once.Do(func() { p.untrack(c) })
	}
}

// callerOf names the caller at remoteAddr for listeners served without a
// fixed caller.
func (p *Proxy) callerOf(remoteAddr string) string {
	if p.cfg.CallerOf != nil {
		if c := p.cfg.CallerOf(remoteAddr); c != "" {
			return c
		}
		return ClientCaller
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.callers[host]; ok {
		return c
	}
	return ClientCaller
}

// SetCallers replaces the IP → caller-name table used to name the callers
// of connections on listeners served without a fixed caller (sidecar mode).
func (p *Proxy) SetCallers(byIP map[string]string) {
	m := make(map[string]string, len(byIP))
	for ip, name := range byIP {
		m[ip] = name
	}
	p.mu.Lock()
	p.callers = m
	p.mu.Unlock()
}
