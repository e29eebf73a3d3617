package embedded

import (
	"context"
	"fmt"
	"net"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// wire gives every service its address (and a fixed-port process its
// network namespace), creates its proxy and one proxy listener per caller
// → callee edge plus the client listener, and builds each service's
// environment. Nothing runs yet except the proxies.
func (r *Running) wire(ctx context.Context) error {
	for _, name := range r.order {
		s := r.services[name]
		if err := r.place(ctx, s); err != nil {
			return err
		}
		p, err := proxy.New(proxy.Config{Service: name, Protocol: proxyProtocol(s.spec.Protocol),
			Upstream: s.addr, Registry: r.cfg.Registry, AllowHosts: upstreamAllowed(s)})
		if err != nil {
			return fmt.Errorf("proxy for %s: %w", name, err)
		}
		r.proxies[name] = p
		addr, err := r.serve(p, proxy.ClientCaller, r.cfg.Host)
		if err != nil {
			return err
		}
		r.client[name] = addr
	}
	for _, name := range r.order {
		if err := r.wireEnv(r.services[name]); err != nil {
			return err
		}
	}
	return nil
}

// place gives s its address: a bound listener (func), a free port on the
// host or its own namespace (process), or its URL's (external).
func (r *Running) place(ctx context.Context, s *service) error {
	switch s.spec.Kind() {
	case target.KindFunc:
		ln, err := s.listen(r.cfg.Host)
		if err != nil {
			return err
		}
		s.ln = ln // held until startAll hands it to Run
	case target.KindProcess:
		return r.placeProcess(ctx, s)
	case target.KindExternal:
		addr, err := s.spec.External.Addr()
		if err != nil {
			return fmt.Errorf("service %s: %w", s.spec.Name, err)
		}
		if err := allowed(addr, s.spec.External.AllowHosts); err != nil {
			return fmt.Errorf("service %s: %w", s.spec.Name, err)
		}
		s.addr = addr
	}
	return nil
}

// wireEnv builds s's environment: its own Env, then each call's variable
// pointing at the proxy listener of that edge (one per caller → callee).
func (r *Running) wireEnv(s *service) error {
	s.env = make(target.Env, len(s.spec.Env))
	for k, v := range s.spec.Env {
		if s.spec.Process != nil {
			v = target.ExpandAddr(v, s.addr)
		}
		s.env[k] = v
	}
	if p := s.spec.Process; p != nil && p.ListenEnv != "" {
		f := p.ListenFormat
		if f == "" {
			f = "{addr}"
		}
		s.env[p.ListenEnv] = target.ExpandAddr(f, s.addr)
	}
	host := r.cfg.Host
	if s.ns != nil {
		host = s.ns.hostIP // the namespace reaches the host there
	}
	edges := map[string]string{}
	for _, c := range s.spec.AllCalls() {
		key := c.Service + " " + c.Listen
		addr, ok := edges[key]
		if !ok {
			var err error
			if addr, err = r.serveAt(r.proxies[c.Service], s.spec.Name, host, c.Listen); err != nil {
				return err
			}
			edges[key] = addr
		}
		s.env[c.Env] = c.Value(addr)
		if s.spec.External != nil {
			r.settings = append(r.settings, target.Setting{Service: s.spec.Name, Callee: c.Service, Env: c.Env, Value: c.Value(addr)})
		}
	}
	return nil
}

// serve opens a proxy listener on host for caller and serves it in the
// background.
func (r *Running) serve(p *proxy.Proxy, caller, host string) (string, error) {
	return r.serveAt(p, caller, host, "")
}

// serveAt is serve on the address at (host:port), or a free port on host.
func (r *Running) serveAt(p *proxy.Proxy, caller, host, at string) (string, error) {
	if at == "" {
		at = net.JoinHostPort(host, "0")
	}
	ln, err := net.Listen("tcp", at)
	if err != nil {
		return "", fmt.Errorf("listen for edge %s->%s: %w", caller, p.Service(), err)
	}
	r.serveWG.Add(1)
	go func() {
		defer r.serveWG.Done()
		_ = p.Serve(ln, caller) // returns when the proxy closes
	}()
	return ln.Addr().String(), nil
}

// upstreamAllowed are the non-loopback hosts the proxy of s may reach: the
// namespace the run created for a fixed-port program, or the hosts the
// user allowed for an external service.
func upstreamAllowed(s *service) []string {
	switch {
	case s.ns != nil:
		return []string{s.ns.nsIP}
	case s.spec.External != nil:
		return s.spec.External.AllowHosts
	}
	return nil
}
