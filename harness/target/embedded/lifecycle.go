package embedded

import (
	"context"
	"fmt"
	"sort"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/target"
)

func (r *Running) service(name string) (*service, error) {
	s, ok := r.services[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", target.ErrUnknownService, name)
	}
	return s, nil
}

func (r *Running) proxyOf(name string) (*proxy.Proxy, error) {
	p, ok := r.proxies[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", target.ErrUnknownService, name)
	}
	return p, nil
}

// Kill ends the service at once: a process gets SIGKILL (its whole
// process group); a func service's context is cancelled and its listener
// and every connection it had open are closed. Its port then refuses
// connections and callers going through the proxy see their connections
// drop. Killing a killed service does nothing. External services cannot
// be killed.
func (r *Running) Kill(ctx context.Context, name string) error {
	s, err := r.service(name)
	if err != nil {
		return fmt.Errorf("kill: %w", err)
	}
	if s.spec.External != nil {
		return fmt.Errorf("kill %s: an external service: %w", name, target.ErrUnsupported)
	}
	err = s.kill(ctx, false)
	r.proxies[name].CloseIdleConnections()
	return err
}

// StopService stops the service the way a deployment would: a process
// gets SIGTERM, then SIGKILL after its grace period; Start runs it again.
func (r *Running) StopService(ctx context.Context, name string) error {
	s, err := r.service(name)
	if err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	if s.spec.External != nil {
		return fmt.Errorf("stop %s: an external service: %w", name, target.ErrUnsupported)
	}
	err = s.kill(ctx, true)
	r.proxies[name].CloseIdleConnections()
	return err
}

// Start runs a killed, stopped (or exited) service again on the same port
// and waits until it is ready. Starting a running service does nothing.
func (r *Running) Start(ctx context.Context, name string) error {
	s, err := r.service(name)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if s.spec.External != nil {
		return fmt.Errorf("start %s: an external service: %w", name, target.ErrUnsupported)
	}
	if st := s.state(); st.Running {
		return nil
	}
	if err := s.kill(ctx, false); err != nil { // an exited service: reap it
		return err
	}
	s.mu.Lock()
	s.restarts++
	s.mu.Unlock()
	if err := r.run(s); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	r.proxies[name].CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ReadyTimeout)
	defer cancel()
	return r.waitReady(ctx, s)
}

// Pause freezes the service. A process is stopped with SIGSTOP (its whole
// process group): the kernel still accepts connections on its port but
// nothing answers until Unpause sends SIGCONT. A func or external service
// is frozen as its callers see it: its proxy accepts but answers nothing.
func (r *Running) Pause(ctx context.Context, name string) error {
	s, err := r.service(name)
	if err != nil {
		return fmt.Errorf("pause: %w", err)
	}
	if s.spec.Process != nil {
		return r.signalProcess(s, syscall.SIGSTOP, true)
	}
	r.proxies[name].SetPaused(true)
	return nil
}

// Unpause releases everything held since Pause.
func (r *Running) Unpause(ctx context.Context, name string) error {
	s, err := r.service(name)
	if err != nil {
		return fmt.Errorf("unpause: %w", err)
	}
	if s.spec.Process != nil {
		return r.signalProcess(s, syscall.SIGCONT, false)
	}
	r.proxies[name].SetPaused(false)
	return nil
}

// signalProcess sends a pause or resume signal to a running process.
func (r *Running) signalProcess(s *service, sig syscall.Signal, paused bool) error {
	pi, ok := s.current().(*procInstance)
	if !ok {
		return fmt.Errorf("%s %s: not running", sig, s.spec.Name)
	}
	if err := pi.signal(sig); err != nil {
		return fmt.Errorf("%s %s: %w", sig, s.spec.Name, err)
	}
	if paused {
		// SIGSTOP lands asynchronously: return once the program is stopped,
		// so the fault window starts when the program really froze.
		pi.waitStopped(time.Second)
	}
	s.mu.Lock()
	s.paused = paused
	s.mu.Unlock()
	return nil
}

// Partition cuts the from → to edge: from's connections to to are reset
// and new ones refused until Heal. Other callers of to are unaffected.
func (r *Running) Partition(ctx context.Context, from, to string) error {
	if _, err := r.service(from); err != nil {
		return fmt.Errorf("partition: %w", err)
	}
	p, err := r.proxyOf(to)
	if err != nil {
		return fmt.Errorf("partition: %w", err)
	}
	p.Block(from, true)
	return nil
}

// Heal restores the from → to edge.
func (r *Running) Heal(ctx context.Context, from, to string) error {
	p, err := r.proxyOf(to)
	if err != nil {
		return fmt.Errorf("heal: %w", err)
	}
	p.Block(from, false)
	return nil
}

// Proxy returns the fault proxy in front of the service (a
// *proxy.Proxy, which also implements target.TCPFaultProxy).
func (r *Running) Proxy(name string) (target.FaultProxy, error) {
	p, err := r.proxyOf(name)
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	return p, nil
}

// Edges returns caller → callee counts across every proxy, sorted by
// caller then callee.
func (r *Running) Edges(ctx context.Context) ([]proxy.Edge, error) {
	var out []proxy.Edge
	for _, name := range r.order {
		out = append(out, r.proxies[name].Edges()...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Caller != out[j].Caller {
			return out[i].Caller < out[j].Caller
		}
		return out[i].Callee < out[j].Callee
	})
	return out, ctx.Err()
}

// AddToxic applies a TCP fault in front of the service until ttl passes.
func (r *Running) AddToxic(ctx context.Context, name string, f proxy.TCPFault, ttl time.Duration) error {
	p, err := r.proxyOf(name)
	if err != nil {
		return fmt.Errorf("add toxic: %w", err)
	}
	return p.AddToxic(ctx, f, ttl)
}

// RemoveToxics clears every TCP fault in front of the service.
func (r *Running) RemoveToxics(ctx context.Context, name string) error {
	p, err := r.proxyOf(name)
	if err != nil {
		return fmt.Errorf("remove toxics: %w", err)
	}
	return p.RemoveToxics(ctx)
}

// SetMemoryLimit caps a process service's memory through its cgroup (0
// lifts the cap); a program that outgrows it is OOM-killed by the kernel,
// which State reports. Func and external services cannot be limited, nor
// can processes on a machine without usable cgroups (the error says what
// is missing).
func (r *Running) SetMemoryLimit(ctx context.Context, name string, bytes int64) error {
	cg, err := r.cgroupOf(name)
	if err != nil {
		return fmt.Errorf("memory limit for %s: %w", name, err)
	}
	if err := cg.setMemory(bytes); err != nil {
		return fmt.Errorf("memory limit for %s: %w", name, err)
	}
	return nil
}

// SetCPULimit caps a process service's CPU time at cpus cores through its
// cgroup (0 lifts the cap); see SetMemoryLimit for what cannot be limited.
func (r *Running) SetCPULimit(ctx context.Context, name string, cpus float64) error {
	cg, err := r.cgroupOf(name)
	if err != nil {
		return fmt.Errorf("cpu limit for %s: %w", name, err)
	}
	if err := cg.setCPU(cpus); err != nil {
		return fmt.Errorf("cpu limit for %s: %w", name, err)
	}
	return nil
}

func (r *Running) cgroupOf(name string) (*cgroup, error) {
	s, err := r.service(name)
	if err != nil {
		return nil, err
	}
	switch {
	case s.spec.Process == nil:
		return nil, fmt.Errorf("a %s service runs in no cgroup of its own: %w", s.spec.Kind(), target.ErrUnsupported)
	case s.cg == nil:
		return nil, s.cgErr
	}
	return s.cg, nil
}

// State reports whether the service runs, how often it was restarted and
// when it last started and finished.
func (r *Running) State(ctx context.Context, name string) (target.State, error) {
	s, err := r.service(name)
	if err != nil {
		return target.State{}, fmt.Errorf("state: %w", err)
	}
	return s.state(), nil
}

// Exited reports whether the service's Run returned on its own or after a
// kill, and with which error (a panic becomes an error with its stack).
func (r *Running) Exited(name string) (bool, error) {
	s, err := r.service(name)
	if err != nil {
		return false, fmt.Errorf("exited: %w", err)
	}
	return s.exited()
}

// SetRegistry sends every proxy's metrics to reg from now on (nil stops
// them), e.g. the registry of each load run.
func (r *Running) SetRegistry(reg *metrics.Registry) {
	for _, p := range r.proxies {
		p.SetRegistry(reg)
	}
}
