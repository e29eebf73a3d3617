package embedded

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"

	"github.com/gameday-dev/gameday/harness/target"
)

// placeProcess gives a process service its address: a free loopback port
// gameday picks (the program is told it), or, for a program with a fixed
// port, that port on a network namespace of its own. It also opens the
// service's log and, where the machine allows, its cgroup.
func (r *Running) placeProcess(ctx context.Context, s *service) error {
	p := s.spec.Process
	if p.FixedPort != 0 {
		ns, err := newNetns(ctx)
		if err != nil {
			return fmt.Errorf("service %s listens on fixed port %d: %w; run the test as root on Linux, "+
				"or run it as a container (system.Container), which has a network of its own", s.spec.Name, p.FixedPort, err)
		}
		s.ns = ns
		s.addr = net.JoinHostPort(ns.nsIP, strconv.Itoa(p.FixedPort))
	} else {
		addr, err := freePort(r.cfg.Host)
		if err != nil {
			return fmt.Errorf("port for %s: %w", s.spec.Name, err)
		}
		s.addr = addr
	}
	dir := ""
	if r.cfg.ArtifactDir != "" {
		dir = filepath.Join(r.cfg.ArtifactDir, "logs")
	}
	sink, err := newLogSink(s.spec.Name, dir, r.cfg.Log)
	if err != nil {
		return err
	}
	r.logs[s.spec.Name] = sink
	if cg, err := newCgroup(s.spec.Name); err == nil {
		s.cg = cg
	} else {
		s.cgErr = err
	}
	return nil
}

// freePort finds a port nothing listens on. The program binds it a moment
// later; another process taking it in between makes the start fail with
// the program's own "address in use", never a silent mix-up.
func freePort(host string) (string, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// checkProcess finds a process service's program and, for a fixed port,
// the means for a namespace: checked before anything starts.
func checkProcess(s target.Service) error {
	if s.Process.FixedPort != 0 {
		if err := netnsSupport(); err != nil {
			return fmt.Errorf("service %s listens on fixed port %d: %w; run the test as root on Linux, "+
				"or run it as a container (system.Container), which has a network of its own", s.Name, s.Process.FixedPort, err)
		}
	}
	if _, err := programPath(s.Process.Path); err != nil {
		return fmt.Errorf("service %s: %w", s.Name, err)
	}
	return nil
}
