package system

import (
	"context"
	"fmt"
	"reflect"

	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/target"
)

// Container is a service run as a container described with
// testcontainers-go's own request: a local image, or one built from a
// Dockerfile (FromDockerfile), with its ExposedPorts, Env, Cmd and wait
// strategy (WaitingFor). gameday starts it through testcontainers on the
// run's network, where its fault proxy takes over the name: callers that
// dial "name:port" reach the proxy, so faults and per-edge counts need no
// change to any image. Its ports are published on 127.0.0.1 only. The
// request may name its port in ExposedPorts (the first is the one callers
// use, or say Port) and keep hard-coded ports: every container has a
// network namespace of its own. Every port in ExposedPorts answers at the
// container's name on the run network: the one callers use through the
// full fault proxy, the others piped as TCP by the same sidecar, where
// partitions, pause and Down faults (and kill, stop, pause of the
// container) apply too; HTTP, gRPC and the other TCP faults act on the
// callers' port only, and the other ports' connections count as tcp_conn
// outcomes of their edge. Options: Env, Calls, Health, HealthTCP,
// Protocol, Public, Port, Customize, Volume.
func Container(name string, req testcontainers.GenericContainerRequest, opts ...Option) Service {
	return newService(target.Service{Name: name, Container: &target.Container{Request: req}}, opts)
}

// Module is a service started by a testcontainers-go module's own Run
// (redis.Run, postgres.Run, ...) with image, e.g.
//
//	system.Module("cache", redis.Run, "redis:7", system.Port(6379))
//
// gameday passes Run the module's customizers given with Customize, then
// its own (network, name, labels, loopback ports). Port is required: the
// module knows it, gameday must too before it starts the callers.
func Module[C testcontainers.Container](name string,
	run func(ctx context.Context, image string, opts ...testcontainers.ContainerCustomizer) (C, error),
	image string, opts ...Option) Service {
	s := newService(target.Service{Name: name, Container: &target.Container{}}, nil)
	s.ctr.module = true
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	custom := s.ctr.custom
	s.spec.Container.Run = func(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (testcontainers.Container, error) {
		c, err := run(ctx, image, append(append([]testcontainers.ContainerCustomizer(nil), custom...), opts...)...)
		if v := reflect.ValueOf(c); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
			return nil, err
		}
		return c, err
	}
	if run == nil {
		s.fail("Module: no Run function")
	}
	if image == "" {
		s.fail("Module: no image")
	}
	return s
}

// Customize applies testcontainers-go customizers (testcontainers.WithEnv,
// WithCmd, WithFiles, a module's own options, ...) to a container's
// request, or hands them to a module's Run. Container services only.
func Customize(opts ...testcontainers.ContainerCustomizer) Option {
	return func(s *Service) {
		if s.spec.Container == nil {
			s.fail("Customize: only container services take testcontainers customizers")
			return
		}
		if s.ctr.module {
			s.ctr.custom = append(s.ctr.custom, opts...)
			return
		}
		for _, o := range opts {
			if o == nil {
				continue
			}
			if err := o.Customize(&s.spec.Container.Request); err != nil {
				s.fail("Customize: %v", fmt.Errorf("customize request: %w", err))
			}
		}
	}
}

// Volume mounts the run's named volume name at path (absolute) in a
// container service: created empty when the run starts, shared by every
// container of the run that mounts it (by this option or a compose file's
// named volume), removed with the run. Container services only.
func Volume(name, path string) Option { return volume(name, path, false) }

// VolumeReadOnly is Volume mounted read-only.
func VolumeReadOnly(name, path string) Option { return volume(name, path, true) }

func volume(name, path string, ro bool) Option {
	return func(s *Service) {
		if s.spec.Container == nil {
			s.fail("Volume: only container services mount volumes")
			return
		}
		s.spec.Container.Volumes = append(s.spec.Container.Volumes, target.Volume{Name: name, Path: path, ReadOnly: ro})
	}
}

// containerOpts is what a container service keeps besides its spec.
type containerOpts struct {
	module bool                                 // built by Module
	custom []testcontainers.ContainerCustomizer // for the module's Run
}
