package docker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/internal/eventlog"
	"github.com/gameday-dev/gameday/harness/target"
)

// Running is a system started by the docker target. It implements
// target.Running, Proxied, Killer, Pauser, Partitioner and Limiter.
type Running struct {
	cli     *client.Client
	sys     target.System
	image   string
	opts    options
	runID   string
	token   string // guards every sidecar's control API
	started time.Time
	labels  map[string]string
	network string // network ID
	netName string

	order []string            // service names in System order
	svcs  map[string]*service // by name; filled in by up, read-only after
	ipMu  sync.Mutex          // guards each service's ip, which a restart changes
	// callersMu serializes sending the caller table, so the last sent is
	// the newest
	callersMu sync.Mutex

	events eventlog.Log[Event]
	manual manualStarts

	stopOnce sync.Once
	stopErr  error
	done     chan struct{} // closed by Stop: ends the event watcher
	watchWG  sync.WaitGroup

	reaper *reaperLink // the run's watchdog (reaper.go); nil without one
}

// service is one service's containers and published addresses.
type service struct {
	spec     target.Service
	ctr      *target.Container // how it runs (see containerOf)
	layout   layout
	port     int    // where its sidecar listens for callers on the run network
	others   []int  // its other ports callers use (alias layout), piped as TCP by the sidecar
	upstream string // where its sidecar forwards to
	real     string // container ID of the service
	proxy    string // container ID of its sidecar
	built    string // the image tag built from its Dockerfile for this run, if not kept
	ip       string // its address on the run network, by which sidecars name it as a caller
	addr     string // 127.0.0.1:port of the sidecar's service port
	control  string // 127.0.0.1:port of the sidecar's control API
	remote   *proxy.Remote
}

var (
	_ target.Running     = (*Running)(nil)
	_ target.Proxied     = (*Running)(nil)
	_ target.Killer      = (*Running)(nil)
	_ target.Pauser      = (*Running)(nil)
	_ target.Partitioner = (*Running)(nil)
	_ target.Limiter     = (*Running)(nil)
)

// Kind is "docker".
func (r *Running) Kind() string { return "docker" }

// RunID is the value of the gameday.run label on everything of this run.
func (r *Running) RunID() string { return r.runID }

// Image is the tag of the image every container runs.
func (r *Running) Image() string { return r.image }

// Services returns the service names in the System's order.
func (r *Running) Services() []string { return append([]string(nil), r.order...) }

// Addr returns 127.0.0.1:PORT of the service's sidecar, which forwards to
// the service (and applies faults on the way).
func (r *Running) Addr(svc string) (string, error) {
	s, err := r.service(svc)
	if err != nil {
		return "", err
	}
	return s.addr, nil
}

// ControlAddr returns 127.0.0.1:PORT of the service sidecar's control API.
func (r *Running) ControlAddr(svc string) (string, error) {
	s, err := r.service(svc)
	if err != nil {
		return "", err
	}
	return s.control, nil
}

// Token is the bearer token of the sidecars' control APIs.
func (r *Running) Token() string { return r.token }

func (r *Running) logf(format string, args ...any) {
	fmt.Fprintf(r.opts.log, format+"\n", args...)
}

func (r *Running) service(name string) (*service, error) {
	s, ok := r.svcs[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", target.ErrUnknownService, name)
	}
	return s, nil
}

// Stop removes every container, the network and the volumes of the run (whatever Start
// managed to create, found by the run label) and ends the event watcher.
// It is safe to call twice; the second call returns the first's result.
func (r *Running) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() {
		close(r.done)
		t0 := time.Now()
		r.stopErr = removeRun(ctx, r.cli, r.runID)
		for _, s := range r.svcs {
			if s.built == "" {
				continue
			}
			_, err := r.cli.ImageRemove(ctx, s.built, client.ImageRemoveOptions{PruneChildren: true})
			if err != nil && !isNotFound(err) && !errdefs.IsConflict(err) { // another run may use it
				r.stopErr = errors.Join(r.stopErr, fmt.Errorf("remove image built for %s: %w", s.spec.Name, err))
			}
		}
		r.reaper.close() // after the removal: the reaper never sweeps a stopped run
		r.logf("docker: run %s removed in %s", r.runID, round(time.Since(t0)))
		r.watchWG.Wait()
		r.events.Close()
		for _, s := range r.svcs {
			if s.remote != nil {
				s.remote.Close()
			}
		}
		r.cli.Close()
	})
	return r.stopErr
}

// removeParallel is how many of a run's containers removeRun removes at
// once.
const removeParallel = 8

// removeRun force-removes the containers, then the networks and volumes,
// labelled with runID, and the run's reaper last: killed at any point of it, the reaper
// is still there to finish the job.
func removeRun(ctx context.Context, cli *client.Client, runID string) error {
	f := client.Filters{}.Add("label", LabelRun+"="+runID)
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("list containers of %s: %w", runID, err)
	}
	var (
		mu      sync.Mutex
		errs    []error
		wg      sync.WaitGroup
		reapers []string
		// a few at a time: many runs stopping at once (a gate's halves)
		// with every container's removal in flight thrash the engine
		sem = make(chan struct{}, removeParallel)
	)
	for _, c := range list.Items {
		if c.Labels[LabelRole] == RoleReaper {
			reapers = append(reapers, c.ID)
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
			if err != nil && !isNotFound(err) && !removalInProgress(err) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("remove container %s: %w", c.ID[:12], err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	nets, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list networks of %s: %w", runID, err))...)
	}
	for _, n := range nets.Items {
		if _, err := cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
		}
	}
	if err := removeVolumes(ctx, cli, runID); err != nil {
		errs = append(errs, err)
	}
	for _, id := range reapers {
		if _, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}); err != nil && !isNotFound(err) && !removalInProgress(err) {
			errs = append(errs, fmt.Errorf("remove reaper %s: %w", id[:12], err))
		}
	}
	return errors.Join(errs...)
}

// ContainerID returns the ID of the service's own container ("" for an
// unknown service), for tools that look at it directly.
func (r *Running) ContainerID(svc string) string {
	if s, ok := r.svcs[svc]; ok {
		return s.real
	}
	return ""
}
