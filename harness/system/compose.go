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
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

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
// address — now the callee's proxy. A service with published ports is
// Public (gameday publishes on 127.0.0.1, on a free port); a healthcheck
// becomes the container's Docker healthcheck and its wait strategy.
// Each service runs on its first exposed port (expose, else ports) or its
// image's only one; a service's protocol defaults to HTTP, and the label
// ProtocolLabel or With(svc, Protocol(...)) changes it. Not run: named
// volumes, networks, container_name and restart settings (gameday owns
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
		s, err := fromCompose(n, cf.Services[n], ports, filepath.Dir(file), o.services[n])
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
func fromCompose(name string, cs composeService, all map[string]string, dir string, extra []Option) (Service, error) {
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
	if p := cs.callerPort(); p != "" {
		req.ExposedPorts = []string{p + "/tcp"}
	}
	for _, v := range cs.Volumes {
		var spec string
		if v.Decode(&spec) != nil || !strings.HasPrefix(spec, "/") {
			errs = append(errs, fmt.Errorf("volume at line %d: only bind mounts of host paths are run", v.Line))
			continue
		}
		req.HostConfigModifier = appendBind(req.HostConfigModifier, spec)
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
	opts := []Option{callsOf(edges(name, req.Env, all)...)}
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

// callsOf declares several Calls at once.
func callsOf(calls ...target.Call) Option {
	return func(s *Service) {
		s.spec.Calls = append(s.spec.Calls, calls...)
	}
}

// appendBind adds a bind mount "src:dst[:mode]" to a host config modifier.
func appendBind(prev func(*container.HostConfig), spec string) func(*container.HostConfig) {
	return func(hc *container.HostConfig) {
		if prev != nil {
			prev(hc)
		}
		if !slices.Contains(hc.Binds, spec) {
			hc.Binds = append(hc.Binds, spec)
		}
	}
}
