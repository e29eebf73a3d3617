package system

import (
	"errors"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
)

// Service is one service of a system, built by Process, External or Func
// and configured by Options.
type Service struct {
	spec target.Service
	errs []error
	ctr  containerOpts // container services only (container.go)
}

// Option configures a Service. An option that does not apply to the
// service's kind is reported when the system starts.
type Option func(*Service)

// New is the system named name made of services. Problems in the
// description are kept in the result's Err (and reported by
// target.System.Validate), so every target refuses to start it.
func New(name string, services ...Service) target.System {
	sys := target.System{Name: name}
	var errs []error
	if name == "" {
		errs = append(errs, errors.New("system has no name"))
	}
	for _, s := range services {
		sys.Services = append(sys.Services, s.spec)
		if err := errors.Join(s.errs...); err != nil {
			errs = append(errs, fmt.Errorf("service %s: %w", s.spec.Name, err))
		}
	}
	sys.Err = errors.Join(errs...)
	return sys
}

// Spec is the target service this Service describes.
func (s Service) Spec() target.Service { return s.spec }

// Err is every problem found while building the service, or nil.
func (s Service) Err() error { return errors.Join(s.errs...) }

func newService(spec target.Service, opts []Option) Service {
	s := Service{spec: spec}
	if s.spec.Env == nil {
		s.spec.Env = target.Env{}
	}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

func (s *Service) fail(format string, args ...any) {
	s.errs = append(s.errs, fmt.Errorf(format, args...))
}
