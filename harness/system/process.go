package system

import (
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Process is a service run as a program: path is the executable (or a name
// found in $PATH). gameday picks a free loopback port and passes it as the
// program wants it: ListenEnv, or {port}/{addr}/{host} in Args or Env
// values. The program inherits the test's environment, under its own Env
// and the variables of its Calls.
func Process(name, path string, opts ...Option) Service {
	return newService(target.Service{Name: name,
		Process: &target.Process{Path: path, InheritEnv: true}}, opts)
}

// Args are the program's arguments; {addr} (host:port), {host} and {port}
// are replaced by where it must listen. Process services only.
func Args(args ...string) Option {
	return func(s *Service) {
		if s.spec.Process == nil {
			s.fail("Args: only process services take arguments")
			return
		}
		s.spec.Process.Args = append(s.spec.Process.Args, args...)
	}
}

// ListenEnv names the program's variable for its listen address
// (host:port), e.g. "LISTEN_ADDR". For a port-only variable write
// Env("PORT", "{port}") instead. Process services only.
func ListenEnv(name string) Option {
	return func(s *Service) {
		if s.spec.Process == nil {
			s.fail("ListenEnv: only process services are told where to listen")
			return
		}
		s.spec.Process.ListenEnv = name
	}
}

// Port says the program always listens on port, whatever it is told. It
// then runs in a network namespace of its own, which needs root on Linux;
// elsewhere Start fails and points to the container kind. Process
// services only.
//
// For a container it is the container port its callers use, when the
// request exposes several or (a module's Run) none.
func Port(port int) Option {
	return func(s *Service) {
		if s.spec.Container != nil {
			s.spec.Container.Port = strconv.Itoa(port)
			return
		}
		if s.spec.Process == nil {
			s.fail("Port: only process and container services have a fixed port")
			return
		}
		s.spec.Process.FixedPort = port
	}
}

// Dir is the program's working directory. Process services only.
func Dir(dir string) Option {
	return func(s *Service) {
		if s.spec.Process == nil {
			s.fail("Dir: only process services have a working directory")
			return
		}
		s.spec.Process.Dir = dir
	}
}

// Grace is how long the program has between SIGTERM and SIGKILL when it is
// stopped (default target.DefaultGracePeriod). Process services only.
func Grace(d time.Duration) Option {
	return func(s *Service) {
		if s.spec.Process == nil {
			s.fail("Grace: only process services are stopped with signals")
			return
		}
		s.spec.Process.GracePeriod = d
	}
}

// CleanEnv starts the program with only its own Env and Calls variables,
// not the test's environment. Process services only.
func CleanEnv() Option {
	return func(s *Service) {
		if s.spec.Process == nil {
			s.fail("CleanEnv: only process services have an environment")
			return
		}
		s.spec.Process.InheritEnv = false
	}
}
