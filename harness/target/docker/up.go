package docker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
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
	r.netName = "gameday-" + r.runID
	cctx, cancelCreate := engineCtx(ctx)
	defer cancelCreate()
	nw, err := r.cli.NetworkCreate(cctx, r.netName, client.NetworkCreateOptions{Driver: "bridge", Labels: r.labels})
	if err != nil {
		return fmt.Errorf("create network: %w", err)
	}
	r.network = nw.ID
	r.watchEvents()
	netDone := time.Now()

	// A service's health wait starts as soon as its containers are up and
	// does not hold one of the opts.parallel slots, which only bound the
	// engine's work.
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		health sync.WaitGroup
		mu     sync.Mutex
		errs   []error
	)
	err = r.each(ctx, r.order, func(ctx context.Context, s *service) error {
		if err := r.startService(ctx, s); err != nil {
			return err
		}
		health.Go(func() {
			if err := r.waitHealthy(hctx, s); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", s.spec.Name, err))
				mu.Unlock()
			}
		})
		return nil
	})
	upDone := time.Now()
	if err != nil {
		cancel() // the waits' errors would only say they were cancelled
		health.Wait()
		return err
	}
	health.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	healthDone := time.Now()
	if err := r.registerCallers(ctx); err != nil {
		return err
	}
	r.logf("docker: %d containers up: network %s, containers %s, healthy +%s, callers +%s",
		2*len(r.order), round(netDone.Sub(began)), round(upDone.Sub(netDone)),
		round(healthDone.Sub(upDone)), round(time.Since(healthDone)))
	return nil
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

// startService starts the service's sidecar, then the service itself in
// the sidecar's network namespace: the engine lets a container join it only
// once the sidecar runs, and a service may resolve its own alias (e.g. to
// advertise it) as it starts.
func (r *Running) startService(ctx context.Context, s *service) error {
	t0 := time.Now()
	if err := r.startProxy(ctx, s); err != nil {
		return err
	}
	if err := r.startReal(ctx, s); err != nil {
		return err
	}
	r.logf("docker: %s up in %s", s.spec.Name, round(time.Since(t0)))
	return nil
}

// startProxy starts the service's sidecar: the fault proxy that holds the
// service's alias on the run network and its only network endpoint, and
// forwards to the service on UpstreamPort over loopback.
func (r *Running) startProxy(ctx context.Context, s *service) error {
	name := s.spec.Name
	ports := []mnet.Port{mnet.MustParsePort(strconv.Itoa(ServicePort) + "/tcp"), mnet.MustParsePort(strconv.Itoa(ControlPort) + "/tcp")}
	cfg := &container.Config{
		Cmd: []string{"agent",
			"-service", name,
			"-protocol", string(s.spec.Protocol),
			"-listen", ":" + strconv.Itoa(ServicePort),
			"-upstream", "127.0.0.1:" + strconv.Itoa(UpstreamPort),
			"-control", ":" + strconv.Itoa(ControlPort),
		},
		Env:          []string{entrypoint.AgentTokenEnv + "=" + r.token},
		ExposedPorts: mnet.PortSet{},
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
	if ep, ok := ins.NetworkSettings.Networks[r.netName]; ok && ep.IPAddress.IsValid() {
		s.ip = ep.IPAddress.String()
	}
	s.remote = proxy.NewRemote("http://"+s.control, r.token)
	return nil
}

// startReal starts the service's own container. It joins its sidecar's
// network namespace (NetworkMode "container:<sidecar>"), so it gets no
// endpoint, DNS setup or published port of its own — on a small machine
// those are most of what a container start costs the engine. Its callers
// still only know the sidecar's alias, it reaches its dependencies through
// theirs, and a kill, pause, restart or OOM of the service leaves the
// sidecar (and the namespace) in place.
func (r *Running) startReal(ctx context.Context, s *service) error {
	name := s.spec.Name
	env := map[string]string{}
	maps.Copy(env, s.spec.Env)
	for _, dep := range s.spec.Deps {
		env[target.AddrEnv(dep)] = dep + ":" + strconv.Itoa(ServicePort)
	}
	env[entrypoint.PortEnv] = strconv.Itoa(UpstreamPort)
	env[AdvertisedAddrEnv] = name + ":" + strconv.Itoa(ServicePort)
	cfg := &container.Config{Cmd: []string{"serve", name}}
	for k, v := range env {
		cfg.Env = append(cfg.Env, k+"="+v)
	}
	hc := &container.HostConfig{NetworkMode: container.NetworkMode("container:" + s.proxy)}
	if p := r.opts.restartPolicy; p != "" {
		hc.RestartPolicy = container.RestartPolicy{Name: container.RestartPolicyMode(p)}
	}
	if b := r.opts.memory[name]; b > 0 {
		hc.Memory, hc.MemorySwap = b, b
	}
	if c := r.opts.cpus[name]; c > 0 {
		hc.NanoCPUs = int64(c * 1e9)
	}
	id, err := r.run(ctx, RoleService, name, cfg, hc, nil)
	s.real = id
	return err
}

// run creates and starts one labelled container of the run's image and
// returns its ID (also when only the start failed: Stop removes it).
//
// This is the hot path of Start, so it calls the Docker client directly
// instead of testcontainers.Run, which per container builds a provider
// with its own client, inspects the image and network, and waits on
// readiness hooks — extra engine calls on a path that is already bound by
// the engine's CPU. testcontainers still supplies its label conventions
// (GenericLabels), and the run's own labels, Stop and the sweeper replace
// Ryuk (disabled, see client.go).
func (r *Running) run(ctx context.Context, role, svc string, cfg *container.Config, hc *container.HostConfig,
	nc *mnet.NetworkingConfig) (string, error) {
	cfg.Image = r.image
	cfg.Labels = with(r.labels, LabelService, svc, LabelRole, role)
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
