package docker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// Every service runs as a target.Container, whatever its kind: a Go
// function (the demo's services) becomes a container of the system's image
// running `BINARY serve NAME`, told its port through ListenEnv; a team's
// container is used as given. Two layouts follow from that one question —
// can the target choose the container's port?
//
//   - shared (ListenEnv set): the container joins its sidecar's network
//     namespace and listens on UpstreamPort there; the sidecar holds the
//     service's alias and listens on ServicePort. No network endpoint of
//     its own: the cheap start that keeps the demo's 28 containers fast.
//   - alias (a hard-coded port): the container takes an endpoint of its
//     own on the run network under an internal alias (RealAlias), and its
//     sidecar takes over the service's name and listens on the same port,
//     forwarding to the internal alias. Callers that dial "name:port" — an
//     address written into an image, a compose file or an env var — reach
//     the proxy with no change to anything.
type layout int

const (
	layoutShared layout = iota
	layoutAlias
)

// RealAlias is the network alias of a service's own container in the alias
// layout; the service's name belongs to its sidecar.
func RealAlias(svc string) string { return "gameday-real-" + svc }

// containerOf returns the container a service runs as: its Container, or
// for a Go function the system's image serving it.
func (r *Running) containerOf(spec target.Service) (*target.Container, error) {
	switch {
	case spec.Container != nil:
		return spec.Container, nil
	case spec.Run != nil:
		return &target.Container{
			Request: testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{
				Image: r.image, Cmd: []string{"serve", spec.Name}, Env: map[string]string{}}},
			Port:      strconv.Itoa(UpstreamPort),
			ListenEnv: entrypoint.PortEnv,
		}, nil
	}
	return nil, fmt.Errorf("a %s service cannot run in docker: give it a Container (or run the system on the local target)", spec.Kind())
}

// plan fills in each service's container, layout, and the ports its
// sidecar listens on and forwards to, before anything starts: a caller's
// environment needs its callees' ports.
func (r *Running) plan(ctx context.Context) error {
	var errs []error
	for _, name := range r.order {
		s := r.svcs[name]
		c, err := r.containerOf(s.spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		s.ctr = c
		if c.ListenEnv != "" {
			s.layout = layoutShared
			s.port = ServicePort
			s.upstream = "127.0.0.1:" + strconv.Itoa(UpstreamPort)
			continue
		}
		s.layout = layoutAlias
		port := c.CallerPort()
		if port == "" {
			port, err = r.imagePort(ctx, c)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				continue
			}
		}
		n, err := target.ContainerPortNumber(port)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		s.port = n
		s.upstream = RealAlias(name) + ":" + strconv.Itoa(n)
		for _, p := range c.Request.ExposedPorts {
			if o, err := target.ContainerPortNumber(p); err == nil && o != n && !slices.Contains(s.others, o) {
				s.others = append(s.others, o)
			}
		}
	}
	return errors.Join(errs...)
}

// imagePort is the only port a local image exposes, for a container
// request that names none.
func (r *Running) imagePort(ctx context.Context, c *target.Container) (string, error) {
	if c.Request.Image == "" {
		return "", errors.New("no port: set Request.ExposedPorts or the service's Port")
	}
	ins, err := r.cli.ImageInspect(ctx, c.Request.Image)
	if err != nil {
		return "", fmt.Errorf("no port given and image %s: %w", c.Request.Image, err)
	}
	var ports []string
	if ins.Config != nil {
		for p := range ins.Config.ExposedPorts {
			ports = append(ports, p)
		}
	}
	if len(ports) != 1 {
		return "", fmt.Errorf("no port given and image %s exposes %d ports %v: set Request.ExposedPorts or the service's Port", c.Request.Image, len(ports), ports)
	}
	return ports[0], nil
}

// callEnv is the environment gameday gives a service: its own Env, and for
// each call the callee's address as callers see it — the callee's name (its
// sidecar's alias) and its sidecar's port.
func (r *Running) callEnv(s *service) map[string]string {
	env := map[string]string{}
	maps.Copy(env, s.spec.Env)
	for _, c := range s.spec.AllCalls() {
		callee, ok := r.svcs[c.Service]
		if !ok {
			continue // System.Validate refused it already
		}
		env[c.Env] = c.Value(c.Service + ":" + strconv.Itoa(callee.port))
	}
	return env
}

// startContainer starts the service's own container in its layout.
func (r *Running) startContainer(ctx context.Context, s *service) error {
	if s.layout == layoutShared {
		return r.startShared(ctx, s)
	}
	return r.startAliased(ctx, s)
}
