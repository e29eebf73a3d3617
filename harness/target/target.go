// Package target runs a system under test somewhere (in-process on loopback
// ports, or in containers) and exposes what faults need to reach into it.
// A System is plain data plus per-service run functions, so the harness
// never knows which system it runs: the demo shop is one System among many.
package target

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
)

// Protocol tells the fault proxy how to speak to a service.
type Protocol string

const (
	HTTP Protocol = "http" // HTTP/1.1 (and h2c upgrade) — HTTP faults apply
	GRPC Protocol = "grpc" // gRPC over h2c — gRPC faults apply
	TCP  Protocol = "tcp"  // opaque TCP (e.g. the Kafka protocol) — only TCP faults apply
)

// Env is a service's configuration, like process environment variables.
type Env map[string]string

// Get returns the value or def when unset or empty.
func (e Env) Get(key, def string) string {
	if v, ok := e[key]; ok && v != "" {
		return v
	}
	return def
}

// AddrEnv is the variable through which a service learns where a dependency
// is: AddrEnv("product-catalog") == "PRODUCT_CATALOG_ADDR". Its value is
// host:port.
func AddrEnv(service string) string {
	b := []byte(service)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c == '-' || c == '.':
			b[i] = '_'
		}
	}
	return string(b) + "_ADDR"
}

// Service describes one service of a system under test. Exactly one of
// Run, Process, External and Container says how it runs (see Kind).
type Service struct {
	Name     string   // DNS-label name, e.g. "product-catalog"
	Protocol Protocol // how its clients speak to it
	// Deps are services it calls; the target sets AddrEnv(dep) to the
	// dep's host:port for each (the demo's convention; the same as
	// Call{Service: dep, Env: AddrEnv(dep)}).
	Deps []string
	// Calls are services it calls, each learned through the caller's own
	// variable and format (see Call). The target points each at the fault
	// proxy of that edge.
	Calls []Call
	// After are services that must be ready before this one starts,
	// besides those it calls (a compose file's depends_on).
	After []string
	Env   Env // its own configuration (resilience settings, flags URL, ...)

	// Run serves the service on ln until ctx is cancelled (embedded target,
	// and the body of the container binary on the docker target).
	Run func(ctx context.Context, ln net.Listener, env Env) error
	// Process runs the service as a program (local target).
	Process *Process
	// External is a service already running elsewhere, given by URL.
	External *External

	// Container runs the service as a container configured with
	// testcontainers-go's types (docker target only); see Container.
	Container *Container

	// Health is an HTTP path that answers 200 when the service is ready;
	// empty means "accepts TCP connections".
	Health string

	// Public services get a host-reachable address printed by `gameday demo`.
	Public bool
}

// System is a whole system under test.
type System struct {
	Name     string
	Services []Service
	// Err, when set, is why the system cannot start (a problem found while
	// it was built, e.g. by harness/system); every target refuses it.
	Err error
	// Binary returns the path of a static linux/amd64 binary such that
	// `BINARY serve SERVICE` runs that service with its Env as environment
	// variables and `BINARY agent` runs the fault-proxy sidecar (docker target).
	// A system whose services are all Containers needs none: the docker
	// target then builds its own sidecar binary.
	Binary func(ctx context.Context) (string, error)
}

// Service returns the named service spec.
func (s System) Service(name string) (Service, bool) {
	for _, svc := range s.Services {
		if svc.Name == name {
			return svc, true
		}
	}
	return Service{}, false
}

// Target starts systems. Implementations: embedded, docker.
type Target interface {
	Name() string
	Start(ctx context.Context, sys System) (Running, error)
}

// Running is a started system. Stop is safe to call twice and leaves
// nothing behind (goroutines, ports, containers, networks).
type Running interface {
	Kind() string // "embedded" or "docker"
	Services() []string
	// Addr is the host-reachable host:port of a service, through its fault
	// proxy, for traffic the harness itself sends.
	Addr(service string) (string, error)
	Stop(ctx context.Context) error
}

// Optional capabilities of a Running system, found by type assertion.
type (
	// Proxied systems have a fault proxy in front of every service.
	Proxied interface {
		Proxy(service string) (FaultProxy, error)
		// Edges returns caller→callee request counts across all proxies.
		Edges(ctx context.Context) ([]kind.Edge, error)
	}
	// Killer can kill and (re)start a service's process or container.
	Killer interface {
		Kill(ctx context.Context, service string) error
		Start(ctx context.Context, service string) error
	}
	// Stopper stops a service the way a deployment does: SIGTERM, then
	// SIGKILL after its grace period (Killer.Start runs it again).
	Stopper interface {
		StopService(ctx context.Context, service string) error
	}
	// Pauser freezes a service: it accepts connections but never answers.
	Pauser interface {
		Pause(ctx context.Context, service string) error
		Unpause(ctx context.Context, service string) error
	}
	// Partitioner cuts the path from one service to another.
	Partitioner interface {
		Partition(ctx context.Context, from, to string) error
		Heal(ctx context.Context, from, to string) error
	}
	// TCPFaulter injects network-level faults (Toxiproxy toxics: latency,
	// bandwidth, reset, timeout, slicer, down) in front of a service. Each
	// fault clears itself after ttl (> 0).
	TCPFaulter interface {
		AddToxic(ctx context.Context, service string, f kind.TCP, ttl time.Duration) error
		RemoveToxics(ctx context.Context, service string) error
	}
	// Limiter changes a service's resource limits and reports its health.
	Limiter interface {
		SetMemoryLimit(ctx context.Context, service string, bytes int64) error
		SetCPULimit(ctx context.Context, service string, cpus float64) error
		State(ctx context.Context, service string) (State, error)
	}
)

// FaultProxy is the fault point in front of one service.
type FaultProxy interface {
	// SetHTTPFault installs f (nil clears). The proxy itself clears the
	// fault after ttl even if the harness dies, so no fault outlives its
	// bounded duration; ttl must be > 0.
	SetHTTPFault(ctx context.Context, f *kind.HTTP, ttl time.Duration) error
	SetGRPCFault(ctx context.Context, f *kind.GRPC, ttl time.Duration) error
}

// TCPFaultProxy is a FaultProxy that also injects TCP faults; the proxies
// of the embedded target and the sidecar's remote control implement it
// (find it by type assertion on a FaultProxy).
type TCPFaultProxy interface {
	FaultProxy
	AddToxic(ctx context.Context, f kind.TCP, ttl time.Duration) error
	RemoveToxics(ctx context.Context) error
}

// State is a service's lifecycle state as the target sees it.
type State struct {
	Running     bool
	Restarts    int
	OOMKilled   bool
	MemoryBytes int64
	StartedAt   time.Time
	FinishedAt  time.Time
}

// ErrUnknownService is returned for a service name the system does not have.
var ErrUnknownService = errors.New("unknown service")

// ErrUnsupported is returned when a target cannot do what was asked.
var ErrUnsupported = errors.New("not supported by this target")
