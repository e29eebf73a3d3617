package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/target"
)

// Config configures the embedded target.
type Config struct {
	// Host is the loopback address every listener binds. Default 127.0.0.1.
	Host string
	// ReadyTimeout bounds how long Start waits for every service to become
	// ready (and Killer.Start for one). Default 30s.
	ReadyTimeout time.Duration
	// Registry, when set, receives the proxies' proxy_requests and
	// proxy_request_duration metrics.
	Registry *metrics.Registry
	// Log receives progress lines and every line process services print
	// ("service | line"). Nil drops them.
	Log func(string)
	// ArtifactDir, when set, keeps each process service's output in
	// ArtifactDir/logs/SERVICE.log.
	ArtifactDir string
}

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(fmt.Sprintf(format, args...))
	}
}

// Defaults.
const (
	DefaultHost         = "127.0.0.1"
	DefaultReadyTimeout = 30 * time.Second
)

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.Host != "" {
		ip := net.ParseIP(c.Host)
		if ip == nil || !ip.IsLoopback() {
			errs = append(errs, fmt.Errorf("host %q: must be a loopback IP", c.Host))
		}
	}
	if c.ReadyTimeout < 0 {
		errs = append(errs, fmt.Errorf("ready timeout %s: must not be negative", c.ReadyTimeout))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Host == "" {
		c.Host = DefaultHost
	}
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = DefaultReadyTimeout
	}
	return c
}

// Target is the embedded target.
type Target struct{ cfg Config }

// New returns the embedded target with the default configuration.
func New() target.Target { return &Target{cfg: Config{}.withDefaults()} }

// NewWithConfig returns the embedded target configured by cfg.
func NewWithConfig(cfg Config) (*Target, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("embedded target config: %w", err)
	}
	return &Target{cfg: cfg.withDefaults()}, nil
}

// Name is "embedded".
func (t *Target) Name() string { return "embedded" }

// Start runs every service of sys and returns once all are ready. On error
// everything already started is stopped again and nothing is returned.
func (t *Target) Start(ctx context.Context, sys target.System) (target.Running, error) {
	r, err := t.start(ctx, sys)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// StartSystem is Start with the concrete result type.
func (t *Target) StartSystem(ctx context.Context, sys target.System) (*Running, error) {
	return t.start(ctx, sys)
}

func (t *Target) start(ctx context.Context, sys target.System) (*Running, error) {
	if err := checkSystem(sys); err != nil {
		return nil, fmt.Errorf("start %s: %w", sys.Name, err)
	}
	r := newRunning(t.cfg, sys)
	if err := r.wire(ctx); err != nil {
		_ = r.Stop(context.Background())
		return nil, fmt.Errorf("start %s: %w", sys.Name, err)
	}
	if err := r.startAll(ctx); err != nil {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(stopCtx)
		return nil, fmt.Errorf("start %s: %w", sys.Name, err)
	}
	return r, nil
}

func checkSystem(sys target.System) error {
	if err := sys.Validate(); err != nil {
		return err
	}
	var errs []error
	for _, s := range sys.Services {
		switch s.Kind() {
		case target.KindProcess:
			errs = append(errs, checkProcess(s))
		case target.KindFunc, target.KindExternal:
		default: // e.g. a container
			errs = append(errs, fmt.Errorf("service %s is a %s service: the embedded target runs Go funcs, processes and external services; use the docker target", s.Name, s.Kind()))
		}
	}
	return errors.Join(errs...)
}

// proxyProtocol maps a service protocol onto the proxy's.
func proxyProtocol(p target.Protocol) proxy.Protocol {
	if p == "" {
		return proxy.HTTP
	}
	return proxy.Protocol(p)
}
