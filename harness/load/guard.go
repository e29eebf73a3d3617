package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrNotAllowed is wrapped by the error for a request to an address that
// is neither loopback nor in Options.AllowHosts.
var ErrNotAllowed = errors.New("not loopback or a host this run started")

// guard refuses traffic to anything but loopback and the allowed hosts.
type guard struct {
	allow map[string]bool // lower-case hosts, ports stripped
}

func newGuard(hosts []string) *guard {
	g := &guard{allow: map[string]bool{}}
	for _, h := range hosts {
		g.allow[normalizeHost(h)] = true
	}
	return g
}

func normalizeHost(h string) string {
	h = strings.TrimSpace(h)
	if u, err := url.Parse(h); err == nil && u.Host != "" {
		h = u.Host
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(strings.Trim(h, "[]"))
}

// check returns nil when host may receive traffic.
func (g *guard) check(host string) error {
	h := strings.ToLower(strings.Trim(host, "[]"))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || g.allow[h] {
		return nil
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("load: refusing request to %s: %w (add it to AllowHosts to override)", host, ErrNotAllowed)
}

// dialer guards every connection, so redirects and proxies cannot leave
// the allowed set either.
func (g *guard) dialer(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		if err := g.check(host); err != nil {
			return nil, err
		}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c}, nil
	}
}
