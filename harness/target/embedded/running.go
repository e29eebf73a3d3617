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
// Limiter (limits unsupported; State works).
type Running struct {
	cfg      Config
	sys      target.System
	order    []string
	services map[string]*service
	proxies  map[string]*proxy.Proxy
	client   map[string]string // service → its proxy's "client" listener

	serveWG sync.WaitGroup // proxies' Serve loops

	stopMu  sync.Mutex
	stopped bool
	stopErr error
}

var (
	_ target.Running     = (*Running)(nil)
	_ target.Proxied     = (*Running)(nil)
	_ target.Killer      = (*Running)(nil)
	_ target.Pauser      = (*Running)(nil)
	_ target.Partitioner = (*Running)(nil)
	_ target.TCPFaulter  = (*Running)(nil)
	_ target.Limiter     = (*Running)(nil)
)

func newRunning(cfg Config, sys target.System) *Running {
	r := &Running{cfg: cfg, sys: sys, services: map[string]*service{},
		proxies: map[string]*proxy.Proxy{}, client: map[string]string{}}
	for _, spec := range sys.Services {
		r.order = append(r.order, spec.Name)
		r.services[spec.Name] = &service{spec: spec}
	}
	return r
}

// wire binds every service's address, creates its proxy and one proxy
// listener per caller → callee edge plus the client listener, and builds
// each service's environment. Nothing runs yet except the proxies.
func (r *Running) wire() error {
	for _, name := range r.order {
		s := r.services[name]
		ln, err := s.listen(r.cfg.Host)
		if err != nil {
			return err
		}
		s.ln = ln // held until startAll hands it to Run
		p, err := proxy.New(proxy.Config{Service: name, Protocol: proxyProtocol(s.spec.Protocol),
			Upstream: s.addr, Registry: r.cfg.Registry})
		if err != nil {
			return fmt.Errorf("proxy for %s: %w", name, err)
		}
		r.proxies[name] = p
		addr, err := r.serve(p, proxy.ClientCaller)
		if err != nil {
			return err
		}
		r.client[name] = addr
	}
	for _, name := range r.order {
		s := r.services[name]
		s.env = make(target.Env, len(s.spec.Env)+len(s.spec.Deps))
		for k, v := range s.spec.Env {
			s.env[k] = v
		}
		for _, dep := range s.spec.Deps {
			addr, err := r.serve(r.proxies[dep], name)
			if err != nil {
				return err
			}
			s.env[target.AddrEnv(dep)] = addr
		}
	}
	return nil
}

// serve opens a proxy listener for caller and serves it in the background.
func (r *Running) serve(p *proxy.Proxy, caller string) (string, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(r.cfg.Host, "0"))
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

// startAll runs every service at once (every listener is already bound, so
// a service calling a dependency that is still starting just waits in the
// accept queue) and waits until all are ready.
func (r *Running) startAll(ctx context.Context) error {
	for _, name := range r.order {
		s := r.services[name]
		s.run(s.ln)
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ReadyTimeout)
	defer cancel()
	errs := make([]error, len(r.order))
	var wg sync.WaitGroup
	for i, name := range r.order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.waitReady(ctx, r.services[name])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
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
			if err := s.kill(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			if s.ln != nil {
				_ = s.ln.Close() // a wired but never started listener
			}
		}()
	}
	wg.Wait()
	r.serveWG.Wait()
	r.stopErr = errors.Join(errs...)
	if r.stopErr != nil {
		r.stopErr = fmt.Errorf("stop %s: %w", r.sys.Name, r.stopErr)
	}
	return r.stopErr
}
