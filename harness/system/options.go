package system

import (
	"context"
	"net"

	"github.com/gameday-dev/gameday/harness/target"
)

// Func is a service run as a Go function serving on ln (how the bundled
// demo's services run): the target hands it a listener and its Env.
func Func(name string, run func(ctx context.Context, ln net.Listener, env target.Env) error, opts ...Option) Service {
	return newService(target.Service{Name: name, Run: run}, opts)
}

// Env sets one of the service's environment variables. For a process,
// {addr}, {host} and {port} in v are replaced by where it must listen.
func Env(k, v string) Option {
	return func(s *Service) {
		if k == "" {
			s.fail("Env: empty variable name")
			return
		}
		s.spec.Env[k] = v
	}
}

// Health is the HTTP path that answers 200 once the service is ready.
func Health(path string) Option {
	return func(s *Service) {
		if path == "" || path[0] != '/' {
			s.fail("Health: path %q must start with /", path)
			return
		}
		s.spec.Health = path
	}
}

// HealthTCP says the service is ready once it accepts TCP connections (the
// default when no Health path is given).
func HealthTCP() Option { return func(s *Service) { s.spec.Health = "" } }

// Calls declares the edge from this service to callee: the service learns
// the callee's address through its own variable env, whose value is format
// with {addr} (host:port), {host} and {port} replaced by the address of
// the edge's fault proxy; an empty format means "{addr}". Example:
// Calls("inventory", "INVENTORY_URL", "http://{addr}").
func Calls(callee, env, format string) Option {
	return func(s *Service) {
		s.spec.Calls = append(s.spec.Calls, target.Call{Service: callee, Env: env, Format: format})
	}
}

// After says the service starts only once the named services are ready,
// besides those it calls (which it always waits for), as a compose file's
// depends_on does. Targets that start services in order (docker for
// containers, local for processes) honour it.
func After(services ...string) Option {
	return func(s *Service) { s.spec.After = append(s.spec.After, services...) }
}

// Protocol is how clients speak to the service: target.HTTP (default),
// target.GRPC or target.TCP (only TCP faults apply).
func Protocol(p target.Protocol) Option { return func(s *Service) { s.spec.Protocol = p } }

// Public marks a service whose address `gameday demo` and the run's log
// print first (e.g. the frontend).
func Public() Option { return func(s *Service) { s.spec.Public = true } }
