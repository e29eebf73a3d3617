package docker

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	mnet "github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// Ports are published on the loopback address only.
var loopback = netip.MustParseAddr("127.0.0.1")

// AdvertisedAddrEnv tells each service the address its callers use for it
// (its sidecar's alias and port), e.g. for a broker to advertise.
const AdvertisedAddrEnv = "GAMEDAY_ADVERTISED_ADDR"

// up creates the network and every container, waits for health and tells
// each sidecar who its callers are. Each phase's duration goes to the log.
func (r *Running) up(ctx context.Context) error {
	began := time.Now()
	if err := r.plan(ctx); err != nil {
		return err
	}
	r.netName = "gameday-" + r.runID
	cctx, cancelCreate := engineCtx(ctx)
	defer cancelCreate()
	nw, err := r.cli.NetworkCreate(cctx, r.netName, client.NetworkCreateOptions{Driver: "bridge", Labels: r.labels})
	if err != nil {
		return fmt.Errorf("create network: %w", err)
	}
	r.network = nw.ID
	if err := r.createVolumes(ctx); err != nil {
		return err
	}
	r.watchEvents()
	netDone := time.Now()
	if err := r.startAll(ctx); err != nil {
		return err
	}
	healthDone := time.Now()
	if err := r.registerCallers(ctx); err != nil {
		return err
	}
	r.logf("docker: %d containers up: network %s, containers healthy +%s, callers +%s",
		2*len(r.order), round(netDone.Sub(began)), round(healthDone.Sub(netDone)), round(time.Since(healthDone)))
	return nil
}

// startAll starts every service, at most opts.parallel container starts
// at a time, and waits until each is healthy. A service's health wait
// starts as soon as its containers run and holds no parallel slot. A team's
// container (alias layout) starts once the services it calls (and those it
// starts After) are healthy,
// as its program may need them at start-up; the demo's services (shared
// layout) start all at once. A failed start cancels the rest and is
// reported alone, not with the waits it cancelled.
func (r *Running) startAll(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := map[string]chan struct{}{}
	for _, name := range r.order {
		ready[name] = make(chan struct{})
	}
	ordered := !r.callCycle()
	sem := make(chan struct{}, r.opts.parallel)
	var (
		wg                    sync.WaitGroup
		mu                    sync.Mutex
		startErrs, healthErrs []error
	)
	for _, name := range r.order {
		s := r.svcs[name]
		wg.Go(func() {
			defer close(ready[name])
			if ordered && s.layout == layoutAlias {
				for _, callee := range s.spec.StartsAfter() {
					if ch, ok := ready[callee]; ok && callee != name {
						select {
						case <-ch:
						case <-ctx.Done():
							return
						}
					}
				}
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			err := r.startService(ctx, s)
			<-sem
			if err != nil {
				mu.Lock()
				startErrs = append(startErrs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
				cancel()
				return
			}
			if err := r.waitHealthy(ctx, s); err != nil && ctx.Err() == nil {
				mu.Lock()
				healthErrs = append(healthErrs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(startErrs) > 0 {
		return errors.Join(startErrs...)
	}
	if err := errors.Join(healthErrs...); err != nil {
		return err
	}
	return ctx.Err()
}

// callCycle reports whether the services' calls form a cycle, in which
// case no service waits for its callees to start.
func (r *Running) callCycle() bool {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var visit func(string) bool
	visit = func(name string) bool {
		switch state[name] {
		case active:
			return true
		case done:
			return false
		}
		state[name] = active
		if s, ok := r.svcs[name]; ok {
			for _, c := range s.spec.StartsAfter() {
				if _, ok := r.svcs[c]; ok && visit(c) {
					return true
				}
			}
		}
		state[name] = done
		return false
	}
	for _, name := range r.order {
		if visit(name) {
			return true
		}
	}
	return false
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// each runs fn for every name, at most opts.parallel at a time, and joins
// the errors.
func (r *Running) each(ctx context.Context, names []string, fn func(context.Context, *service) error) error {
	sem := make(chan struct{}, r.opts.parallel)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, name := range names {
		s := r.svcs[name]
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := fn(ctx, s); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", s.spec.Name, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// startService starts the service's sidecar, then the service's own
// container: in the shared layout the engine lets a container join the
// sidecar's namespace only once it runs, and in both a service may resolve
// its own name (e.g. to advertise it) as it starts.
func (r *Running) startService(ctx context.Context, s *service) error {
	t0 := time.Now()
	if err := r.startProxy(ctx, s); err != nil {
		return err
	}
	if err := r.startContainer(ctx, s); err != nil {
		return err
	}
	r.logf("docker: %s up in %s", s.spec.Name, round(time.Since(t0)))
	return nil
}

// controlPort is the sidecar's control API port: ControlPort, or the
// next port that is none of the service's.
func (s *service) controlPort() int {
	p := ControlPort
	for p == s.port || slices.Contains(s.others, p) {
		p++
	}
	return p
}

// startProxy starts the service's sidecar: the fault proxy that holds the
// service's name on the run network and listens on the port its callers
// use, forwarding to the service (s.upstream).
func (r *Running) startProxy(ctx context.Context, s *service) error {
	name := s.spec.Name
	ports := []mnet.Port{mnet.MustParsePort(strconv.Itoa(s.port) + "/tcp"), mnet.MustParsePort(strconv.Itoa(s.controlPort()) + "/tcp")}
	protocol := s.spec.Protocol
	if protocol == "" {
		protocol = target.HTTP
	}
	cfg := &container.Config{
		Image: r.image,
		Cmd: []string{"agent",
			"-service", name,
			"-protocol", string(protocol),
			"-listen", ":" + strconv.Itoa(s.port),
			"-upstream", s.upstream,
			"-control", ":" + strconv.Itoa(s.controlPort()),
		},
		Env:          []string{entrypoint.AgentTokenEnv + "=" + r.token},
		ExposedPorts: mnet.PortSet{},
	}
	if s.layout == layoutAlias {
		// The upstream is the service's own container, which this run
		// started on its private network: the traffic rule allows it.
		cfg.Cmd = append(cfg.Cmd, "-allow", RealAlias(name))
		for _, o := range s.others {
			cfg.Cmd = append(cfg.Cmd, "-port", ":"+strconv.Itoa(o)+"="+RealAlias(name)+":"+strconv.Itoa(o))
		}
	}
	hc := &container.HostConfig{NetworkMode: container.NetworkMode(r.netName), PortBindings: mnet.PortMap{}}
	for _, p := range ports {
		cfg.ExposedPorts[p] = struct{}{}
		hc.PortBindings[p] = []mnet.PortBinding{{HostIP: loopback, HostPort: "0"}}
	}
	nc := &mnet.NetworkingConfig{EndpointsConfig: map[string]*mnet.EndpointSettings{r.netName: {Aliases: []string{name}}}}
	id, err := r.run(ctx, RoleProxy, name, cfg, hc, nc)
	s.proxy = id
	if err != nil {
		return err
	}
	ins, err := r.inspectPublished(ctx, id, ports)
	if err != nil {
		return err
	}
	bound := ins.NetworkSettings.Ports // not nil: inspectPublished checked
	s.addr = hostPort(bound[ports[0]][0].HostPort)
	s.control = hostPort(bound[ports[1]][0].HostPort)
	if ep, ok := ins.NetworkSettings.Networks[r.netName]; ok && ep.IPAddress.IsValid() && s.layout == layoutShared {
		r.ipMu.Lock()
		s.ip = ep.IPAddress.String() // the service shares it
		r.ipMu.Unlock()
	}
	s.remote = proxy.NewRemote("http://"+s.control, r.token)
	return nil
}

// run creates and starts one labelled container and returns its ID (also
// when only the start failed: Stop removes it). cfg.Image defaults to the
// run's image.
//
// This is the hot path of the demo's Start, so it calls the Docker client
// directly instead of testcontainers.Run, which per container builds a
// provider with its own client, inspects the image and network, and waits
// on readiness hooks — extra engine calls on a path that is already bound
// by the engine's CPU. A team's own containers do go through
// testcontainers (startAliased), where its hooks and wait strategies
// matter more than those milliseconds. testcontainers still supplies its
// label conventions (GenericLabels), and the run's own labels, Stop and
// the sweeper replace Ryuk (disabled, see client.go).
func (r *Running) run(ctx context.Context, role, svc string, cfg *container.Config, hc *container.HostConfig,
	nc *mnet.NetworkingConfig) (string, error) {
	if cfg.Image == "" {
		cfg.Image = r.image
	}
	cfg.Labels = with(cfg.Labels, flatten(with(r.labels, LabelService, svc, LabelRole, role))...)
	for k, v := range testcontainers.GenericLabels() {
		if _, ok := cfg.Labels[k]; !ok {
			cfg.Labels[k] = v
		}
	}
	cctx, cancelCreate := engineCtx(ctx)
	defer cancelCreate()
	c, err := r.cli.ContainerCreate(cctx, client.ContainerCreateOptions{
		Name: r.runID + "-" + svc + "-" + role, Config: cfg, HostConfig: hc, NetworkingConfig: nc})
	if err != nil {
		return "", fmt.Errorf("create %s container: %w", role, err)
	}
	if _, err := r.cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		return c.ID, fmt.Errorf("start %s container: %w", role, err)
	}
	return c.ID, nil
}

// inspectPublished inspects a started container until the engine reports
// a host port for each of ports (some engines publish them a little
// after the start returns).
func (r *Running) inspectPublished(ctx context.Context, id string, ports []mnet.Port) (container.InspectResponse, error) {
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		ins, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return container.InspectResponse{}, fmt.Errorf("inspect sidecar: %w", err)
		}
		missing := ""
		for _, p := range ports {
			var b []mnet.PortBinding
			if ns := ins.Container.NetworkSettings; ns != nil {
				b = ns.Ports[p]
			}
			if len(b) == 0 || b[0].HostPort == "" {
				missing = p.String()
			}
		}
		if missing == "" {
			return ins.Container, nil
		}
		if wait > time.Second {
			return container.InspectResponse{}, fmt.Errorf("sidecar port %s not published", missing)
		}
		select {
		case <-ctx.Done():
			return container.InspectResponse{}, ctx.Err()
		case <-time.After(wait):
		}
	}
}
