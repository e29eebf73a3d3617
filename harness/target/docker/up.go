package docker

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	mnet "github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/network"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// Environment of the sidecar (`gameday agent` reads it).
var loopback = netip.MustParseAddr("127.0.0.1")

// AdvertisedAddrEnv tells each service the address its callers use for it
// (its sidecar's alias and port), e.g. for a broker to advertise.
const AdvertisedAddrEnv = "GAMEDAY_ADVERTISED_ADDR"

// up creates the network and every container, waits for health and tells
// each sidecar who its callers are.
func (r *Running) up(ctx context.Context) error {
	r.netName = "gameday-" + r.runID
	nw, err := r.cli.NetworkCreate(ctx, r.netName, client.NetworkCreateOptions{Driver: "bridge", Labels: r.labels})
	if err != nil {
		return fmt.Errorf("create network: %w", err)
	}
	r.network = nw.ID
	r.watchEvents()
	// Each sidecar before its service: a service may resolve its own alias
	// (the sidecar's) when it starts, e.g. to advertise it.
	if err := r.each(ctx, r.order, func(ctx context.Context, s *service) error {
		if err := r.startProxy(ctx, s); err != nil {
			return err
		}
		return r.startService(ctx, s)
	}); err != nil {
		return err
	}
	if err := r.each(ctx, r.order, r.waitHealthy); err != nil {
		return err
	}
	return r.registerCallers(ctx)
}

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

// startProxy starts the service's sidecar, the fault proxy that has the
// service's alias and forwards to "<svc>-real".
func (r *Running) startProxy(ctx context.Context, s *service) error {
	name := s.spec.Name
	args := []string{"agent",
		"-service", name,
		"-protocol", string(s.spec.Protocol),
		"-listen", ":" + strconv.Itoa(ServicePort),
		"-upstream", name + "-real:" + strconv.Itoa(ServicePort),
		"-control", ":" + strconv.Itoa(ControlPort),
	}
	ports := []string{strconv.Itoa(ServicePort) + "/tcp", strconv.Itoa(ControlPort) + "/tcp"}
	t0 := time.Now()
	px, err := r.run(ctx, RoleProxy, name, []string{name}, map[string]string{entrypoint.AgentTokenEnv: r.token}, args, ports, nil)
	if px != nil {
		s.proxy = px.GetContainerID()
	}
	if err != nil {
		return err
	}
	if s.addr, err = mappedPort(ctx, px, ServicePort); err != nil {
		return err
	}
	if s.control, err = mappedPort(ctx, px, ControlPort); err != nil {
		return err
	}
	s.remote = proxy.NewRemote("http://"+s.control, r.token)
	r.logf("docker: %s sidecar up in %s", name, time.Since(t0).Round(time.Millisecond))
	return nil
}

// startService starts the service's own container, alias "<svc>-real".
func (r *Running) startService(ctx context.Context, s *service) error {
	name := s.spec.Name
	env := map[string]string{
		entrypoint.PortEnv: strconv.Itoa(ServicePort),
		AdvertisedAddrEnv:  name + ":" + strconv.Itoa(ServicePort),
	}
	for k, v := range s.spec.Env {
		env[k] = v
	}
	for _, dep := range s.spec.Deps {
		env[target.AddrEnv(dep)] = dep + ":" + strconv.Itoa(ServicePort)
	}
	t0 := time.Now()
	real, err := r.run(ctx, RoleService, name, []string{name + "-real"}, env, []string{"serve", name}, nil,
		func(hc *container.HostConfig) {
			if p := r.opts.restartPolicy; p != "" {
				hc.RestartPolicy = container.RestartPolicy{Name: container.RestartPolicyMode(p)}
			}
			if b := r.opts.memory[name]; b > 0 {
				hc.Memory, hc.MemorySwap = b, b
			}
			if c := r.opts.cpus[name]; c > 0 {
				hc.NanoCPUs = int64(c * 1e9)
			}
		})
	if real != nil {
		s.real = real.GetContainerID()
	}
	if err != nil {
		return err
	}
	r.logf("docker: %s up in %s", name, time.Since(t0).Round(time.Millisecond))
	s.realIP, err = r.containerIP(ctx, s.real)
	return err
}

// containerIP is the container's address on the run network.
func (r *Running) containerIP(ctx context.Context, id string) (string, error) {
	ins, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("inspect: %w", err)
	}
	if ep, ok := ins.Container.NetworkSettings.Networks[r.netName]; ok && ep.IPAddress.IsValid() {
		return ep.IPAddress.String(), nil
	}
	return "", nil
}

// run starts one labelled container of the run's image on the run network.
// Ports are published on 127.0.0.1 only.
func (r *Running) run(ctx context.Context, role, svc string, aliases []string, env map[string]string,
	cmd, ports []string, hostMod func(*container.HostConfig)) (*testcontainers.DockerContainer, error) {
	netName := r.netName
	return testcontainers.Run(ctx, r.image,
		testcontainers.WithLogger(log.NewNoopLogger()),
		testcontainers.WithLabels(with(r.labels, LabelService, svc, LabelRole, role)),
		testcontainers.WithEnv(env),
		testcontainers.WithCmd(cmd...),
		testcontainers.WithExposedPorts(ports...),
		network.WithNetworkName(aliases, netName),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.NetworkMode = container.NetworkMode(netName)
			hc.PortBindings = mnet.PortMap{}
			for _, p := range ports {
				hc.PortBindings[mnet.MustParsePort(p)] = []mnet.PortBinding{{HostIP: loopback, HostPort: "0"}}
			}
			if hostMod != nil {
				hostMod(hc)
			}
		}),
	)
}

func mappedPort(ctx context.Context, c *testcontainers.DockerContainer, port int) (string, error) {
	p, err := c.MappedPort(ctx, strconv.Itoa(port)+"/tcp")
	if err != nil {
		return "", fmt.Errorf("published port %d: %w", port, err)
	}
	return hostPort(p.Port()), nil
}
