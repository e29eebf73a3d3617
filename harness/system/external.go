package system

import "github.com/gameday-dev/gameday/harness/target"

// External is a service that is already running at url (e.g.
// "http://127.0.0.1:8080", "tcp://127.0.0.1:6379"). gameday starts nothing:
// it puts a fault proxy in front of it and, for each of its Calls, an edge
// proxy whose address it prints (and Env.Configure returns) for the user to
// set in the caller. Traffic goes to it only when its host is loopback or
// allowed by AllowHosts.
func External(name, url string, opts ...Option) Service {
	return newService(target.Service{Name: name, External: &target.External{URL: url}}, opts)
}

// AllowHosts lets traffic go to an external service on a host that is not
// loopback. External services only.
func AllowHosts(hosts ...string) Option {
	return func(s *Service) {
		if s.spec.External == nil {
			s.fail("AllowHosts: only external services are reached at a given host")
			return
		}
		s.spec.External.AllowHosts = append(s.spec.External.AllowHosts, hosts...)
	}
}

// EdgeListen fixes where the proxy of this service's edge to callee
// listens (a loopback host:port), for an external caller configured once
// rather than told a new address each run. It applies to the Calls to
// callee declared before it.
func EdgeListen(callee, addr string) Option {
	return func(s *Service) {
		found := false
		for i := range s.spec.Calls {
			if s.spec.Calls[i].Service == callee {
				s.spec.Calls[i].Listen, found = addr, true
			}
		}
		if !found {
			s.fail("EdgeListen(%s): no Calls(%s, ...) before it", callee, callee)
		}
	}
}
