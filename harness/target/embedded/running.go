package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Running is a system started by the embedded target. It implements
// target.Running, Proxied, Killer, Pauser, Partitioner, TCPFaulter and
// Limiter (limits for process services where the machine has cgroups).
type Running struct {
	cfg      Config
	sys      target.System
	order    []string
	services map[string]*service
	proxies  map[string]*proxy.Proxy
	client   map[string]string // service → its proxy's "client" listener
	logs     map[string]*logSink
	settings []target.Setting // what the user configures in external callers

	serveWG sync.WaitGroup // proxies' Serve loops
	stopMu  sync.Mutex
	stopped bool
	stopErr error
}

var (
	_ target.Running     = (*Running)(nil)
	_ target.Proxied     = (*Running)(nil)
	_ target.Killer      = (*Running)(nil)
	_ target.Stopper     = (*Running)(nil)
	_ target.Pauser      = (*Running)(nil)
	_ target.Partitioner = (*Running)(nil)
	_ target.TCPFaulter  = (*Running)(nil)
	_ target.Limiter     = (*Running)(nil)
)

func newRunning(cfg Config, sys target.System) *Running {
	r := &Running{cfg: cfg, sys: sys, services: map[string]*service{},
		proxies: map[string]*proxy.Proxy{}, client: map[string]string{}, logs: map[string]*logSink{}}
	for _, spec := range sys.Services {
		r.order = append(r.order, spec.Name)
		r.services[spec.Name] = &service{spec: spec}
	}
	return r
}

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
			Upstream: s.addr, Registry: r.cfg.Registry})
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

// startAll runs every service and waits until all are ready. Func
// services start at once (their listeners are already bound, so a caller
// of a dependency still starting waits in its accept queue); a process
// starts once the services it calls are ready, as a program may give up
// on a dependency that refuses it at start (unless the calls form a
// cycle: then every process starts at once too).
func (r *Running) startAll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ReadyTimeout)
	defer cancel()
	ordered := !cyclic(r.sys)
	done := make(map[string]chan struct{}, len(r.order))
	for _, name := range r.order {
		done[name] = make(chan struct{})
	}
	errs := make([]error, len(r.order))
	failed := make(map[string]*error, len(r.order))
	for i, name := range r.order {
		failed[name] = &errs[i]
	}
	for i, name := range r.order {
		go func() {
			defer close(done[name])
			s := r.services[name]
			if s.spec.Process != nil && ordered {
				for _, callee := range s.spec.Callees() {
					select {
					case <-done[callee]:
					case <-ctx.Done():
						errs[i] = fmt.Errorf("service %s: waiting for %s: %w", name, callee, ctx.Err())
						return
					}
					if *failed[callee] != nil {
						errs[i] = fmt.Errorf("service %s not started: %s did not get ready", name, callee)
						return
					}
				}
			}
			if err := r.run(s); err != nil {
				errs[i] = err
				return
			}
			errs[i] = r.waitReady(ctx, s)
		}()
	}
	for _, name := range r.order {
		<-done[name]
	}
	for _, st := range r.settings {
		r.cfg.logf("gameday: configure %s: %s=%s (edge %s->%s through gameday's fault proxy)",
			st.Service, st.Env, st.Value, st.Service, st.Callee)
	}
	return errors.Join(errs...)
}

// cyclic reports whether the system's calls form a cycle.
func cyclic(sys target.System) bool {
	calls := map[string][]string{}
	for _, s := range sys.Services {
		calls[s.Name] = s.Callees()
	}
	const (
		visiting = 1
		visited  = 2
	)
	state := map[string]int{}
	var visit func(string) bool
	visit = func(n string) bool {
		switch state[n] {
		case visiting:
			return true
		case visited:
			return false
		}
		state[n] = visiting
		for _, c := range calls[n] {
			if visit(c) {
				return true
			}
		}
		state[n] = visited
		return false
	}
	for _, s := range sys.Services {
		if visit(s.Name) {
			return true
		}
	}
	return false
}

// run starts one instance of s (nothing for an external service).
func (r *Running) run(s *service) error {
	switch s.spec.Kind() {
	case target.KindFunc:
		ln := s.ln
		if ln == nil {
			var err error
			if ln, err = s.listen(r.cfg.Host); err != nil {
				return err
			}
		}
		s.ln = nil
		s.started(runFunc(s, ln))
	case target.KindProcess:
		pi, err := runProcess(s, r.logs[s.spec.Name], s.cg)
		if err != nil {
			return err
		}
		s.started(pi)
		r.cfg.logf("gameday: %s: started %s (pid %d) on %s", s.spec.Name, s.spec.Process.Path, pi.cmd.Process.Pid, s.addr)
	}
	return nil
}

// Kind is "embedded".
func (r *Running) Kind() string { return "embedded" }

// Services lists the services in the system's order.
func (r *Running) Services() []string { return append([]string(nil), r.order...) }

// Addr is the service's client listener: its proxy, caller "client".
func (r *Running) Addr(service string) (string, error) {
	addr, ok := r.client[service]
	if !ok {
		return "", fmt.Errorf("addr of %s: %w", service, target.ErrUnknownService)
	}
	return addr, nil
}

// DirectAddr is where the service itself listens, bypassing its proxy.
func (r *Running) DirectAddr(service string) (string, error) {
	s, ok := r.services[service]
	if !ok {
		return "", fmt.Errorf("direct addr of %s: %w", service, target.ErrUnknownService)
	}
	return s.addr, nil
}

// Env is the configuration the service was started with, including the
// addresses of its dependencies' edge listeners.
func (r *Running) Env(service string) (target.Env, error) {
	s, ok := r.services[service]
	if !ok {
		return nil, fmt.Errorf("env of %s: %w", service, target.ErrUnknownService)
	}
	out := make(target.Env, len(s.env))
	for k, v := range s.env {
		out[k] = v
	}
	return out, nil
}

// Stop stops every service and proxy and frees every port. Safe twice; the
// second call returns the first one's result.
func (r *Running) Stop(ctx context.Context) error {
	r.stopMu.Lock()
	defer r.stopMu.Unlock()
	if r.stopped {
		return r.stopErr
	}
	r.stopped = true
	var errs []error
	for _, p := range r.proxies {
		_ = p.Close()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, name := range r.order {
		s := r.services[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.kill(ctx, true); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			if s.ln != nil {
				_ = s.ln.Close() // a wired but never started listener
			}
			s.ns.close()
			s.cg.remove()
		}()
	}
	wg.Wait()
	r.serveWG.Wait()
	for _, l := range r.logs {
		_ = l.Close()
	}
	r.stopErr = errors.Join(errs...)
	if r.stopErr != nil {
		r.stopErr = fmt.Errorf("stop %s: %w", r.sys.Name, r.stopErr)
	}
	return r.stopErr
}
