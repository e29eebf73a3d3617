package embedded

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/internal/eventlog"
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
	events   *eventlog.Log[target.Event]

	serveWG sync.WaitGroup // proxies' Serve loops
	endWG   sync.WaitGroup // processes' exit watchers
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
	_ target.EventSource = (*Running)(nil)
)

func newRunning(cfg Config, sys target.System) *Running {
	r := &Running{cfg: cfg, sys: sys, services: map[string]*service{},
		proxies: map[string]*proxy.Proxy{}, client: map[string]string{}, logs: map[string]*logSink{},
		events: &eventlog.Log[target.Event]{}}
	for _, spec := range sys.Services {
		r.order = append(r.order, spec.Name)
		r.services[spec.Name] = &service{spec: spec}
	}
	return r
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
		oomBefore := s.cg.oomKills()
		pi, err := runProcess(s, r.logs[s.spec.Name], s.cg)
		if err != nil {
			return err
		}
		s.started(pi)
		r.endWG.Go(func() {
			<-pi.done()
			r.ended(s, pi, oomBefore)
		})
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
	r.endWG.Wait() // no event or log line after Stop returns
	r.events.Close()
	for _, l := range r.logs {
		_ = l.Close()
	}
	r.stopErr = errors.Join(errs...)
	if r.stopErr != nil {
		r.stopErr = fmt.Errorf("stop %s: %w", r.sys.Name, r.stopErr)
	}
	return r.stopErr
}
