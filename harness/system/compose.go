package system

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
	"go.yaml.in/yaml/v3"

	"github.com/gameday-dev/gameday/harness/target"
)

// ProtocolLabel, set on a service in a compose file, says how its callers
// speak to it ("http", "grpc" or "tcp"), like the Protocol option.
const ProtocolLabel = "gameday.protocol"

// ComposeOption configures a system read from a compose file.
type ComposeOption func(*composeOptions)

type composeOptions struct {
	services map[string][]Option
}

// With applies opts (Protocol, Public, Health, Port, Env, Customize, ...)
// to the compose file's service svc.
func With(svc string, opts ...Option) ComposeOption {
	return func(o *composeOptions) { o.services[svc] = append(o.services[svc], opts...) }
}

// Compose is the system a docker compose file describes, run by the
// docker target as containers (see Container): each service named as in
// the file, behind a fault proxy that takes over its name on the run's
// network. Edges come from each service's environment: a value naming
// another service as host:port (e.g. "http://api:9000", "cache:6379") is a
// Call through that variable, which gameday keeps pointing at the same
// address — now the callee's proxy. depends_on (a list, or a map of
// conditions, all read as "once it is ready") orders the starts, as After
// does. A service with published ports is
// Public (gameday publishes on 127.0.0.1, on a free port); a healthcheck
// becomes the container's Docker healthcheck and its wait strategy.
// Each service's callers use its first exposed port (expose, else ports)
// or its image's only one, and its other expose and ports entries answer
// at its name too (piped as TCP, see Container); a service's protocol
// defaults to HTTP, and the label
// ProtocolLabel or With(svc, Protocol(...)) changes it. Volumes: bind
// mounts of host paths, anonymous volumes, and named volumes, which are
// the run's own (see Volume: created empty, shared by the services that
// name them, removed with the run); external volumes are refused. Not
// run: networks, container_name and restart settings (gameday owns
// those).
//
// The file is read once, here, with ComposeTool; a problem is kept in the
// system's Err (every target then refuses to start it).
func Compose(name, file string, opts ...ComposeOption) target.System {
	o := composeOptions{services: map[string][]Option{}}
	for _, opt := range opts {
		opt(&o)
	}
	cf, err := readCompose(file)
	if err != nil {
		return target.System{Name: name, Err: err}
	}
	var errs []error
	for svc := range o.services {
		if _, ok := cf.Services[svc]; !ok {
			errs = append(errs, fmt.Errorf("With(%q): the compose file has no such service", svc))
		}
	}
	names := make([]string, 0, len(cf.Services))
	for n := range cf.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	ports := map[string]string{}
	for _, n := range names {
		ports[n] = cf.Services[n].callerPort()
	}
	var svcs []Service
	for _, n := range names {
		s, err := fromCompose(n, cf.Services[n], cf.Volumes, ports, filepath.Dir(file), o.services[n])
		if err != nil {
			errs = append(errs, fmt.Errorf("compose service %s: %w", n, err))
			continue
		}
		svcs = append(svcs, s)
	}
	sys := New(name, svcs...)
	sys.Err = errors.Join(append([]error{sys.Err}, errs...)...)
	return sys
}

// fromCompose turns one compose service into a container Service.
func fromCompose(name string, cs composeService, named map[string]*composeVolume, all map[string]string, dir string, extra []Option) (Service, error) {
	var errs []error
	req := testcontainers.ContainerRequest{Image: cs.Image, Labels: cs.Labels, User: cs.User, WorkingDir: cs.WorkingDir}
	if cs.Build != nil {
		ctxDir := cs.Build.Context
		if !filepath.IsAbs(ctxDir) {
			ctxDir = filepath.Join(dir, ctxDir)
		}
		req.Image = ""
		req.FromDockerfile = testcontainers.FromDockerfile{Context: ctxDir, Dockerfile: cs.Build.Dockerfile, BuildArgs: cs.Build.Args}
	}
	var err error
	if req.Cmd, err = words(cs.Command); err != nil {
		errs = append(errs, fmt.Errorf("command: %w", err))
	}
	if req.Entrypoint, err = words(cs.Entrypoint); err != nil {
		errs = append(errs, fmt.Errorf("entrypoint: %w", err))
	}
	req.Env = map[string]string{}
	for k, v := range cs.Environment {
		if v != nil {
			req.Env[k] = *v
		}
	}
	for _, p := range cs.tcpPorts() {
		req.ExposedPorts = append(req.ExposedPorts, p+"/tcp")
	}
	var opts []Option
	for _, v := range cs.Volumes {
		m, err := composeVolumeOf(v, named)
		switch {
		case err != nil:
			errs = append(errs, err)
		case m.Type == "bind":
			req.HostConfigModifier = appendMount(req.HostConfigModifier, mount.Mount{Type: mount.TypeBind, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly})
		case m.Source == "": // anonymous: Docker's, removed with its container
			req.HostConfigModifier = appendMount(req.HostConfigModifier, mount.Mount{Type: mount.TypeVolume, Target: m.Target, ReadOnly: m.ReadOnly})
		default:
			opts = append(opts, volume(m.Source, m.Target, m.ReadOnly))
		}
	}
	if hc := cs.Healthcheck; hc != nil && !hc.Disable {
		test, err := words(hc.Test)
		if err != nil {
			errs = append(errs, fmt.Errorf("healthcheck: %w", err))
		}
		interval, err1 := duration(hc.Interval)
		timeout, err2 := duration(hc.Timeout)
		start, err3 := duration(hc.StartPeriod)
		if err := errors.Join(err1, err2, err3); err != nil {
			errs = append(errs, fmt.Errorf("healthcheck: %w", err))
		}
		if len(test) > 0 && test[0] != "NONE" {
			hcfg := &container.HealthConfig{Test: test, Interval: interval, Timeout: timeout, StartPeriod: start, Retries: hc.Retries}
			req.ConfigModifier = func(c *container.Config) { c.Healthcheck = hcfg }
			req.WaitingFor = wait.ForHealthCheck()
		}
	}
	opts = append(opts, callsOf(edges(name, req.Env, all)...))
	if after, err := dependsOn(cs.DependsOn); err != nil {
		errs = append(errs, err)
	} else if len(after) > 0 {
		opts = append(opts, After(after...))
	}
	if p := cs.Labels[ProtocolLabel]; p != "" {
		opts = append(opts, Protocol(target.Protocol(p)))
	}
	if len(cs.Ports) > 0 {
		opts = append(opts, Public())
	}
	if err := errors.Join(errs...); err != nil {
		return Service{}, err
	}
	return Container(name, testcontainers.GenericContainerRequest{ContainerRequest: req}, append(opts, extra...)...), nil
}

// edges finds, in a service's environment, the values that name another
// service as host:port with the port its proxy listens on (its first
// exposed one, when the file says), as Calls whose Format puts {addr}
// there.
func edges(self string, env map[string]string, ports map[string]string) []target.Call {
	var calls []target.Call
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	services := make([]string, 0, len(ports))
	for svc := range ports {
		services = append(services, svc)
	}
	sort.Strings(services)
	for _, k := range keys {
		for _, svc := range services {
			if svc == self {
				continue
			}
			re := regexp.MustCompile(`(^|[/@=,;\s])` + regexp.QuoteMeta(svc) + `:([0-9]+)`)
			v := env[k]
			loc := re.FindStringSubmatchIndex(v)
			if loc == nil || (ports[svc] != "" && v[loc[4]:loc[5]] != ports[svc]) {
				continue
			}
			calls = append(calls, target.Call{Service: svc, Env: k, Format: v[:loc[3]] + "{addr}" + v[loc[1]:]})
			break
		}
	}
	return calls
}

// dependsOn reads depends_on, a list of services or (normalized) a map
// of service to condition; every condition means "once it is ready" here,
// where gameday waits for each service's health anyway.
func dependsOn(n yaml.Node) ([]string, error) {
	var list []string
	if n.Kind == 0 || n.Decode(&list) == nil {
		return list, nil
	}
	var m map[string]yaml.Node
	if err := n.Decode(&m); err != nil {
		return nil, fmt.Errorf("depends_on at line %d: want a list or a map of services", n.Line)
	}
	for svc := range m {
		list = append(list, svc)
	}
	sort.Strings(list)
	return list, nil
}

// composeVolumeOf reads one of a service's volumes in the normalized file,
// short ("/host:/path:ro", "/path", "data:/path") or long syntax, as a
// mount: a bind mount of a host path, an anonymous volume (no Source) or
// the run's named volume Source. External volumes, other drivers and
// other mount types are refused: a run owns what it mounts.
func composeVolumeOf(v yaml.Node, named map[string]*composeVolume) (composeMount, error) {
	var m composeMount
	var spec string
	if v.Decode(&spec) == nil {
		parts := strings.Split(spec, ":")
		if len(parts) > 3 || parts[len(parts)-1] == "" {
			return m, fmt.Errorf("volume %q at line %d: want [source:]path[:ro|rw]", spec, v.Line)
		}
		m.Type = "volume"
		if len(parts) == 1 {
			m.Target = parts[0]
		} else {
			m.Source, m.Target = parts[0], parts[1]
			if strings.HasPrefix(m.Source, "/") {
				m.Type = "bind"
			}
		}
		m.ReadOnly = len(parts) == 3 && slices.Contains(strings.Split(parts[2], ","), "ro")
	} else if err := v.Decode(&m); err != nil {
		return m, fmt.Errorf("volume at line %d: %w", v.Line, err)
	}
	if !strings.HasPrefix(m.Target, "/") {
		return m, fmt.Errorf("volume at line %d: mount path %q must be absolute", v.Line, m.Target)
	}
	switch {
	case m.Type == "bind" && strings.HasPrefix(m.Source, "/"):
		return m, nil
	case m.Type != "volume":
		return m, fmt.Errorf("volume at line %d: type %q is not run (bind mounts of host paths and volumes are)", v.Line, m.Type)
	case m.Source == "":
		return m, nil
	}
	top, ok := named[m.Source]
	switch {
	case !ok:
		return m, fmt.Errorf("volume %s at line %d: not declared under the file's volumes", m.Source, v.Line)
	case top != nil && top.External:
		return m, fmt.Errorf("volume %s at line %d: external volumes are not run (each run creates its own, empty, and removes it)", m.Source, v.Line)
	case top != nil && top.Driver != "" && top.Driver != "local":
		return m, fmt.Errorf("volume %s at line %d: driver %q is not run (local volumes are)", m.Source, v.Line, top.Driver)
	}
	return m, nil
}

// callsOf declares several Calls at once.
func callsOf(calls ...target.Call) Option {
	return func(s *Service) {
		s.spec.Calls = append(s.spec.Calls, calls...)
	}
}

// appendMount adds a mount to a host config modifier.
func appendMount(prev func(*container.HostConfig), m mount.Mount) func(*container.HostConfig) {
	return func(hc *container.HostConfig) {
		if prev != nil {
			prev(hc)
		}
		if !slices.Contains(hc.Mounts, m) {
			hc.Mounts = append(hc.Mounts, m)
		}
	}
}
