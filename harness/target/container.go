package target

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/testcontainers/testcontainers-go"
)

// RunFunc starts a container the way a testcontainers-go module's Run does
// (redis.Run, postgres.Run, ... bound to an image): the target passes its
// own customizers (network, aliases, labels, loopback ports, limits), which
// the function must hand on to testcontainers.
type RunFunc func(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (testcontainers.Container, error)

// Container is a service run as a container, configured with
// testcontainers-go's own request type, so a team's existing
// testcontainers setup becomes a service unchanged.
//
// Its callers reach it through a fault proxy that takes over its name on
// the run's network: the container itself gets an internal alias, so
// faults, caller→callee counts and partitions need no change to any image.
// A container whose port is hard-coded keeps it (each container has a
// network namespace of its own).
type Container struct {
	// Request describes the container: Image (local: nothing is pulled
	// that the engine does not have), or FromDockerfile; Cmd, Env,
	// ExposedPorts, WaitingFor (testcontainers' wait strategies), Files,
	// modifiers, lifecycle hooks. The target adds its network, aliases,
	// labels and limits, and publishes ports on 127.0.0.1 only.
	Request testcontainers.GenericContainerRequest

	// Run, when set, starts the container instead of Request (a module's
	// Run). Exactly one of Request's image (Image or FromDockerfile) and
	// Run is set.
	Run RunFunc

	// Port is the container port callers use, e.g. "6379/tcp" or "8080".
	// Default: the first of Request.ExposedPorts. Required with Run.
	Port string

	// ListenEnv, when set, names the variable through which the target
	// gives the container the port to listen on (its value is the port
	// number). Such a container shares its fault proxy's network
	// namespace instead of taking an endpoint of its own: a cheaper start,
	// used for the demo's containers.
	ListenEnv string

	// Volumes are the run's own named volumes this container mounts (a
	// compose file's "data:/var/lib/data"): each is created empty when the
	// run starts, shared by every container of the run that names it, and
	// removed with the run.
	Volumes []Volume
}

// Volume mounts the run's volume Name at Path.
type Volume struct {
	Name     string // [a-zA-Z0-9][a-zA-Z0-9_.-]*
	Path     string // absolute, in the container
	ReadOnly bool
}

// validVolumeName is Docker's rule for volume names.
func validVolumeName(n string) bool {
	for i, c := range n {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || (c != '_' && c != '.' && c != '-')) {
			return false
		}
	}
	return n != ""
}

// Validate reports every problem with the container's configuration.
func (c *Container) Validate() error {
	var errs []error
	hasImage := c.Request.Image != "" || c.Request.FromDockerfile.Context != "" ||
		c.Request.FromDockerfile.ContextArchive != nil
	switch {
	case c.Run != nil && hasImage:
		errs = append(errs, errors.New("container has both a Run function and a Request image: set one"))
	case c.Run == nil && !hasImage:
		errs = append(errs, errors.New("container has no image: set Request.Image, Request.FromDockerfile or Run"))
	}
	if c.Run != nil && c.Port == "" {
		errs = append(errs, errors.New("container started by a Run function needs its Port"))
	}
	if c.Port != "" {
		if _, err := ContainerPortNumber(c.Port); err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range c.Request.ExposedPorts {
		if _, err := ContainerPortNumber(p); err != nil {
			errs = append(errs, fmt.Errorf("exposed port: %w", err))
		}
	}
	paths := map[string]bool{}
	for _, v := range c.Volumes {
		switch {
		case !validVolumeName(v.Name):
			errs = append(errs, fmt.Errorf("volume %q: want a name of letters, digits, '_', '.' and '-', starting with a letter or digit", v.Name))
		case !strings.HasPrefix(v.Path, "/"):
			errs = append(errs, fmt.Errorf("volume %s: mount path %q must be absolute", v.Name, v.Path))
		case paths[v.Path]:
			errs = append(errs, fmt.Errorf("volume %s: path %s is mounted twice", v.Name, v.Path))
		}
		paths[v.Path] = true
	}
	if c.Request.Reuse {
		errs = append(errs, errors.New("container reuse is not supported: every run creates its own containers"))
	}
	return errors.Join(errs...)
}

// CallerPort is the container port its callers use: Port, else the first
// exposed port, else "" (the target then asks the image).
func (c *Container) CallerPort() string {
	if c.Port != "" {
		return c.Port
	}
	if len(c.Request.ExposedPorts) > 0 {
		return c.Request.ExposedPorts[0]
	}
	return ""
}

// ContainerPortNumber parses "8080", "8080/tcp" or "127.0.0.1:0:8080/tcp"
// (testcontainers' forms) to the container port number.
func ContainerPortNumber(p string) (int, error) {
	s := p
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if proto := s[i+1:]; proto != "tcp" {
			return 0, fmt.Errorf("port %q: only tcp ports can be proxied", p)
		}
		s = s[:i]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q: want a port number 1-65535, optionally with /tcp", p)
	}
	return n, nil
}
