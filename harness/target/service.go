package target

import (
	"errors"
	"fmt"
)

// Service kinds (see Service.Kind).
const (
	KindFunc      = "func"      // Run: a Go function on a listener
	KindProcess   = "process"   // Process: a program
	KindExternal  = "external"  // External: already running, given by URL
	KindContainer = "container" // Container: a container (docker target)
)

// Kind says how the service runs: KindFunc, KindProcess or KindExternal;
// "" when none (or more than one) is set.
func (s Service) Kind() string {
	kinds := s.kinds()
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

func (s Service) kinds() []string {
	var out []string
	if s.Run != nil {
		out = append(out, KindFunc)
	}
	if s.Process != nil {
		out = append(out, KindProcess)
	}
	if s.External != nil {
		out = append(out, KindExternal)
	}
	if s.Container != nil {
		out = append(out, KindContainer)
	}
	return out
}

// Validate reports every problem with the service on its own (see
// System.Validate for the edges between services).
func (s Service) Validate() error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, errors.New("no name"))
	}
	switch kinds := s.kinds(); len(kinds) {
	case 0:
		errs = append(errs, errors.New("no way to run it (Run, Process, External or Container)"))
	case 1:
	default:
		errs = append(errs, fmt.Errorf("more than one way to run it: %v", kinds))
	}
	switch s.Protocol {
	case "", HTTP, GRPC, TCP:
	default:
		errs = append(errs, fmt.Errorf("unknown protocol %q", s.Protocol))
	}
	for _, c := range s.Calls {
		if err := c.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Process != nil {
		if err := s.Process.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if s.External != nil {
		if err := s.External.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Container != nil {
		if err := s.Container.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("service %s: %w", s.Name, err)
	}
	return nil
}

// Validate reports every problem with the system: Err, each service, names
// defined twice and calls to services the system does not have.
func (s System) Validate() error {
	var errs []error
	if s.Err != nil {
		errs = append(errs, s.Err)
	}
	seen := map[string]bool{}
	for _, svc := range s.Services {
		if err := svc.Validate(); err != nil {
			errs = append(errs, err)
		}
		if svc.Name != "" && seen[svc.Name] {
			errs = append(errs, fmt.Errorf("service %s: defined twice", svc.Name))
		}
		seen[svc.Name] = true
	}
	for _, svc := range s.Services {
		for _, c := range svc.Callees() {
			if !seen[c] {
				errs = append(errs, fmt.Errorf("service %s: calls unknown service %s", svc.Name, c))
			}
		}
		for _, a := range svc.After {
			if !seen[a] || a == svc.Name {
				errs = append(errs, fmt.Errorf("service %s: starts after unknown service %q", svc.Name, a))
			}
		}
	}
	return errors.Join(errs...)
}
