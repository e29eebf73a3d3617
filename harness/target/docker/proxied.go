package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

var (
	_ target.TCPFaulter    = (*Running)(nil)
	_ target.TCPFaultProxy = (*proxy.Remote)(nil)
)

// Proxy returns the remote control of the service's sidecar (a
// *proxy.Remote, which is also a target.TCPFaultProxy).
func (r *Running) Proxy(svc string) (target.FaultProxy, error) {
	s, err := r.service(svc)
	if err != nil {
		return nil, err
	}
	return s.remote, nil
}

// Edges returns caller→callee request counts across all sidecars. Callers
// are service names; traffic from the host (the harness) is "client".
func (r *Running) Edges(ctx context.Context) ([]proxy.Edge, error) {
	var all []proxy.Edge
	for _, name := range r.order {
		edges, err := r.svcs[name].remote.Edges(ctx)
		if err != nil {
			return nil, fmt.Errorf("edges of %s: %w", name, err)
		}
		all = append(all, edges...)
	}
	return all, nil
}

// Partition cuts from → to at to's sidecar: from's open connections are
// reset and new ones refused, while every other caller still gets through
// (a Docker network disconnect would cut from off from everything).
func (r *Running) Partition(ctx context.Context, from, to string) error {
	return r.block(ctx, from, to, true)
}

// Heal undoes Partition.
func (r *Running) Heal(ctx context.Context, from, to string) error {
	return r.block(ctx, from, to, false)
}

func (r *Running) block(ctx context.Context, from, to string, on bool) error {
	if _, err := r.service(from); err != nil && from != proxy.ClientCaller {
		return err
	}
	s, err := r.service(to)
	if err != nil {
		return err
	}
	if err := s.remote.Block(ctx, from, on); err != nil {
		return fmt.Errorf("partition %s -> %s: %w", from, to, err)
	}
	return nil
}

// AddToxic injects a TCP fault at the service's sidecar for at most ttl.
func (r *Running) AddToxic(ctx context.Context, svc string, f proxy.TCPFault, ttl time.Duration) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	return s.remote.AddToxic(ctx, f, ttl)
}

// RemoveToxics clears the TCP faults at the service's sidecar.
func (r *Running) RemoveToxics(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	return s.remote.RemoveToxics(ctx)
}

// callerTable maps every service's IP on the run network — its sidecar's,
// whose network namespace it shares, so a restart never changes it — to
// its name, for the sidecars to name their callers.
func (r *Running) callerTable() map[string]string {
	r.ipMu.Lock()
	defer r.ipMu.Unlock()
	byIP := map[string]string{}
	for _, name := range r.order {
		if ip := r.svcs[name].ip; ip != "" {
			byIP[ip] = name
		}
	}
	return byIP
}

// registerCallers sends the caller table to every sidecar, retrying for a
// few seconds while a sidecar's control API comes up.
func (r *Running) registerCallers(ctx context.Context) error {
	r.callersMu.Lock()
	defer r.callersMu.Unlock()
	byIP := r.callerTable()
	return r.each(ctx, r.order, func(ctx context.Context, s *service) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := s.remote.SetCallers(ctx, byIP)
			if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
				if err != nil {
					return fmt.Errorf("set callers: %w", err)
				}
				return nil
			}
			time.Sleep(healthPoll)
		}
	})
}
