package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrNotAllowed is wrapped by the error for traffic to an address that is
// neither loopback nor one of the guard's allowed hosts.
var ErrNotAllowed = errors.New("not loopback or a host this run started")

// Resolver looks names up; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Guard refuses traffic to anything but loopback and its allowed hosts.
// The zero value is not usable: call New.
type Guard struct {
	allow    map[string]bool // lower-case names and IPs, ports stripped
	resolver Resolver
}

// New returns a guard that allows loopback and hosts (names, IPs, URLs or
// host:port; ports are ignored).
func New(hosts ...string) *Guard {
	g := &Guard{allow: map[string]bool{}, resolver: net.DefaultResolver}
	for _, h := range hosts {
		if n := Normalize(h); n != "" {
			g.allow[n] = true
		}
	}
	return g
}

// WithResolver makes the guard resolve names with r (tests use a fake).
func (g *Guard) WithResolver(r Resolver) *Guard {
	g.resolver = r
	return g
}

// Normalize reduces a host, host:port or URL to its lower-case host.
func Normalize(h string) string {
	h = strings.TrimSpace(h)
	if u, err := url.Parse(h); err == nil && u.Host != "" {
		h = u.Host
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(strings.Trim(h, "[]"))
}

// allowedIP reports whether traffic to ip may go.
func (g *Guard) allowedIP(ip net.IP) bool {
	return ip.IsLoopback() || g.allow[ip.String()]
}

// Resolve returns the addresses of host that traffic may go to: host
// itself for an allowed IP, every address of an allowed name, and for any
// other name its addresses if all of them are loopback or allowed. A name
// with one forbidden address is refused whole.
func (g *Guard) Resolve(ctx context.Context, host string) ([]net.IP, error) {
	h := Normalize(host)
	if ip := net.ParseIP(h); ip != nil {
		if !g.allowedIP(ip) {
			return nil, g.refuse(host, "")
		}
		return []net.IP{ip}, nil
	}
	addrs, err := g.resolver.LookupIPAddr(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("resolve %s: no address", host)
	}
	ips := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		if !g.allow[h] && !g.allowedIP(a.IP) {
			return nil, g.refuse(host, a.IP.String())
		}
		ips = append(ips, a.IP)
	}
	return ips, nil
}

// Check returns nil when host (a name or an IP) may receive traffic.
func (g *Guard) Check(ctx context.Context, host string) error {
	if g.allow[Normalize(host)] {
		return nil // allowed by name: no lookup needed to say so
	}
	_, err := g.Resolve(ctx, host)
	return err
}

func (g *Guard) refuse(host, resolved string) error {
	if resolved != "" {
		return fmt.Errorf("refusing request to %s (resolves to %s): %w", host, resolved, ErrNotAllowed)
	}
	return fmt.Errorf("refusing request to %s: %w", host, ErrNotAllowed)
}

// DialContext wraps d so every connection goes to an address the guard
// checked: the name is resolved once and the checked IPs are dialled in
// turn. Redirects and proxies cannot leave the allowed set either.
func (g *Guard) DialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", addr, err)
		}
		ips, err := g.Resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, ip := range ips {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
		return nil, errors.Join(errs...)
	}
}
