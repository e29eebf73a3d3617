package docker

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"

	"github.com/moby/moby/api/types/container"
	mnet "github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/gameday-dev/gameday/harness/target"
)

// startAliased starts a team's container through testcontainers-go itself
// (GenericContainer, or the module's Run), so everything its request says
// — a Dockerfile build, files, lifecycle hooks, wait strategies — happens
// as it would in the team's own tests. gameday's customizer, applied last,
// puts it on the run network under RealAlias, labels it, publishes its
// ports on 127.0.0.1 only and applies the run's limits.
func (r *Running) startAliased(ctx context.Context, s *service) error {
	ctx, cancel := context.WithTimeout(ctx, r.opts.healthTimeout)
	defer cancel()
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(tcLogger{r}),
		testcontainers.CustomizeRequestOption(func(req *testcontainers.GenericContainerRequest) error {
			r.customize(s, req)
			return nil
		}),
	}
	var (
		ctr testcontainers.Container
		err error
	)
	if s.ctr.Run != nil {
		ctr, err = s.ctr.Run(ctx, opts...)
	} else {
		req := s.ctr.Request
		for _, o := range opts {
			if cerr := o.Customize(&req); cerr != nil {
				return fmt.Errorf("customize container: %w", cerr)
			}
		}
		ctr, err = testcontainers.GenericContainer(ctx, req)
	}
	if !isNil(ctr) {
		s.real = ctr.GetContainerID()
	}
	if err != nil {
		if s.real == "" {
			s.real = r.findService(context.WithoutCancel(ctx), s.spec.Name)
		}
		return fmt.Errorf("start container: %w", err)
	}
	if err := r.refreshIP(ctx, s); err != nil {
		return err
	}
	if fd := s.ctr.Request.FromDockerfile; (fd.Context != "" || fd.ContextArchive != nil) && !fd.KeepImage {
		if ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{}); err == nil {
			s.built = ins.Container.Config.Image // the build's own tag: removed at Stop, as testcontainers' Terminate would
		}
	}
	return nil
}

// customize is gameday's part of a team's container request. It copies
// every map and slice it changes: the System may be started again.
func (r *Running) customize(s *service, req *testcontainers.GenericContainerRequest) {
	name := s.spec.Name
	req.Started = true
	req.Name = r.runID + "-" + name + "-" + RoleService
	req.Networks = []string{r.netName}
	req.NetworkAliases = map[string][]string{r.netName: {RealAlias(name)}}
	req.Labels = with(maps.Clone(req.Labels), flatten(with(r.labels, LabelService, name, LabelRole, RoleService))...)
	env := maps.Clone(req.Env)
	if env == nil {
		env = map[string]string{}
	}
	maps.Copy(env, r.callEnv(s))
	req.Env = env
	port := strconv.Itoa(s.port) + "/tcp"
	exposed := slices.Clone(req.ExposedPorts)
	if !slices.ContainsFunc(exposed, func(p string) bool { n, _ := target.ContainerPortNumber(p); return n == s.port }) {
		exposed = append(exposed, port)
	}
	req.ExposedPorts = exposed
	if req.WaitingFor == nil && s.spec.Health == "" {
		// Without a strategy of its own the container is ready once its
		// callers' port accepts connections (checked from the host: a
		// scratch image has no shell for the in-container check).
		req.WaitingFor = wait.ForListeningPort(port).SkipInternalCheck()
	}
	userHC := req.HostConfigModifier
	if userHC == nil {
		userHC = deprecatedHostConfig(req.ContainerRequest)
	}
	mounts := r.volumeMounts(s.ctr.Volumes)
	req.HostConfigModifier = func(hc *container.HostConfig) {
		userHC(hc)
		hc.Mounts = append(hc.Mounts, mounts...)
		r.limit(name, hc)
		loopbackOnly(hc, exposed)
	}
	if req.FromDockerfile.Context != "" || req.FromDockerfile.ContextArchive != nil {
		userBuild := req.FromDockerfile.BuildOptionsModifier
		req.FromDockerfile.BuildOptionsModifier = func(o *client.ImageBuildOptions) {
			if userBuild != nil {
				userBuild(o)
			}
			o.Labels = with(o.Labels, LabelApp, "1")
		}
	}
}

// limit applies the run's restart policy and the service's memory and CPU
// limits to hc.
func (r *Running) limit(svc string, hc *container.HostConfig) {
	if p := r.opts.restartPolicy; p != "" {
		hc.RestartPolicy = container.RestartPolicy{Name: container.RestartPolicyMode(p)}
	}
	if b := r.opts.memory[svc]; b > 0 {
		hc.Memory, hc.MemorySwap = b, b
	}
	if c := r.opts.cpus[svc]; c > 0 {
		hc.NanoCPUs = int64(c * 1e9)
	}
}

// loopbackOnly publishes every exposed port on 127.0.0.1 (an ephemeral host
// port unless the request chose one).
func loopbackOnly(hc *container.HostConfig, exposed []string) {
	if hc.PortBindings == nil {
		hc.PortBindings = mnet.PortMap{}
	}
	for _, p := range exposed {
		n, err := target.ContainerPortNumber(p)
		if err != nil {
			continue // Validate refused it
		}
		key := mnet.MustParsePort(strconv.Itoa(n) + "/tcp")
		bs := hc.PortBindings[key]
		if len(bs) == 0 {
			bs = []mnet.PortBinding{{HostPort: "0"}}
		}
		for i := range bs {
			bs[i].HostIP = loopback
		}
		hc.PortBindings[key] = bs
	}
	for key, bs := range hc.PortBindings {
		for i := range bs {
			bs[i].HostIP = loopback
		}
		hc.PortBindings[key] = bs
	}
}

// deprecatedHostConfig is what testcontainers applies when a request has
// no HostConfigModifier of its own (its deprecated top-level fields), which
// gameday's modifier must keep doing.
func deprecatedHostConfig(req testcontainers.ContainerRequest) func(*container.HostConfig) {
	return func(hc *container.HostConfig) {
		hc.AutoRemove = req.AutoRemove
		hc.CapAdd = req.CapAdd
		hc.CapDrop = req.CapDrop
		hc.Binds = req.Binds
		hc.ExtraHosts = req.ExtraHosts
		hc.NetworkMode = req.NetworkMode
		hc.Resources = req.Resources
		hc.Privileged = req.Privileged
		hc.ShmSize = req.ShmSize
	}
}

// refreshIP reads the container's address on the run network, by which
// the sidecars name it as a caller.
func (r *Running) refreshIP(ctx context.Context, s *service) error {
	ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("inspect container: %w", err)
	}
	if ns := ins.Container.NetworkSettings; ns != nil {
		if ep, ok := ns.Networks[r.netName]; ok && ep.IPAddress.IsValid() {
			r.ipMu.Lock()
			s.ip = ep.IPAddress.String()
			r.ipMu.Unlock()
		}
	}
	return nil
}

// findService returns the ID of the run's container of svc, if one was
// created ("" if none), for a start that failed after the create.
func (r *Running) findService(ctx context.Context, svc string) string {
	f := client.Filters{}.Add("label", LabelRun+"="+r.runID, LabelService+"="+svc, LabelRole+"="+RoleService)
	list, err := r.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil || len(list.Items) == 0 {
		return ""
	}
	return list.Items[0].ID
}

// flatten turns a map into k, v, k, v... for with.
func flatten(m map[string]string) []string {
	out := make([]string, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// isNil is true for a nil interface and for a typed nil pointer in one (a
// module's Run returns (*RedisContainer)(nil) on some errors).
func isNil(c testcontainers.Container) bool {
	if c == nil {
		return true
	}
	v := reflect.ValueOf(c)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// tcLogger sends testcontainers' progress lines to the target's log.
type tcLogger struct{ r *Running }

func (l tcLogger) Printf(format string, args ...any) { l.r.logf("testcontainers: "+format, args...) }
