package harness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/session"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// FlagService is the name of the service that serves feature flags (flagd
// schema, OFREP, admin API); FlagTokenEnv is its Env key for the admin token.
const (
	FlagService  = "flags"
	FlagTokenEnv = "FLAGS_ADMIN_TOKEN"
)

// Env is a running system under test with its timeline and fault injector.
// Load runs, faults and flag changes act on it.
type Env struct {
	System   target.System
	Running  target.Running
	Timeline *timeline.Timeline
	Faults   *fault.Injector

	cfg       config
	t         T // the test that started it (Start), or nil (New)
	closed    bool
	stopWatch context.CancelFunc
}

// New starts sys on the configured target (default: auto — docker when an
// engine answers, embedded otherwise). Close stops it.
func New(ctx context.Context, sys target.System, opts ...Option) (*Env, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	tgt, why := cfg.custom, "given"
	if tgt == nil {
		var err error
		if tgt, why, err = chooseTarget(ctx, cfg.target, sys, cfg); err != nil {
			return nil, err
		}
	}
	cfg.logf("gameday: target %s (%s)", tgt.Name(), why)
	if err := sys.Validate(); err != nil {
		return nil, fmt.Errorf("system %s: %w", sys.Name, err)
	}
	sys = withFlagToken(sys)
	tl := timeline.New(time.Now())
	running, err := tgt.Start(ctx, sys)
	if err != nil {
		if running != nil {
			_ = running.Stop(context.WithoutCancel(ctx))
		}
		return nil, fmt.Errorf("start %s on %s: %w", sys.Name, tgt.Name(), err)
	}
	inj, err := fault.NewInjector(running, tl, cfg.faultOpts...)
	if err != nil {
		_ = running.Stop(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("fault injector: %w", err)
	}
	tl.Add(timeline.TargetStart, sys.Name, "started on "+running.Kind(), nil)
	env := &Env{System: sys, Running: running, Timeline: tl, Faults: inj, cfg: cfg}
	wctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	env.stopWatch = stop
	watchEvents(wctx, running, env)
	return env, nil
}

// Start is New for tests: it fails t on error and stops everything in
// t.Cleanup, whatever happens in the test. Unless WithLog says otherwise,
// the harness's progress and the output of process services go to t.Logf.
// The Env remembers t: URL of an unknown service fails it.
func Start(t T, sys target.System, opts ...Option) *Env {
	t.Helper()
	noteTest(t) // for gate reports: see RecordTests
	opts = append([]Option{WithLog(func(s string) { t.Logf("%s", s) })}, opts...)
	env, err := New(t.Context(), sys, opts...)
	if err != nil {
		t.Fatalf("harness: %v", err)
	}
	env.t = t
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Close(ctx); err != nil {
			t.Errorf("harness: close: %v", err)
		}
	})
	return env
}

// Close reverts every fault and stops the system. Safe to call twice.
func (e *Env) Close(ctx context.Context) error {
	if e.closed {
		return nil
	}
	e.closed = true
	e.stopWatch()
	return errors.Join(e.Faults.Close(ctx), e.Running.Stop(ctx))
}

// Addr is the host:port where the harness reaches service, through its fault proxy.
func (e *Env) Addr(service string) (string, error) { return e.Running.Addr(service) }

// URL is "http://" + Addr. An unknown service fails the test that
// started the Env (Start); an Env from New has no test to fail, logs the
// mistake and returns "" (use ServiceURL there).
func (e *Env) URL(service string) string {
	u, err := e.ServiceURL(service)
	if err != nil {
		if e.t != nil {
			e.t.Helper()
			e.t.Fatalf("harness: %v", err)
		}
		e.cfg.logf("gameday: %v", err)
	}
	return u
}

// ServiceURL is "http://" + Addr, or an error naming the services there
// are when service is not one of them.
func (e *Env) ServiceURL(service string) (string, error) {
	a, err := e.Running.Addr(service)
	if err != nil {
		return "", fmt.Errorf("url of %s: %w (services: %v)", service, err, e.Running.Services())
	}
	return "http://" + a, nil
}

// Settings are the variables to set in external callers so their calls
// go through gameday's fault proxy for each declared edge (also printed
// to the log at start). Empty when the system has no external caller.
func (e *Env) Settings() []target.Setting {
	if s, ok := e.Running.(interface{ Settings() []target.Setting }); ok {
		return s.Settings()
	}
	return nil
}

// Inject puts fault f into the services matching selector for sched (its
// start counts from now) and reverts it at its end or in t.Cleanup.
func (e *Env) Inject(t T, selector string, f fault.Fault, sched fault.Schedule) *fault.Injection {
	t.Helper()
	inj, err := e.Faults.Inject(context.WithoutCancel(t.Context()), selector, f, sched)
	if err != nil {
		t.Fatalf("inject %s into %s: %v", f, selector, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := inj.Revert(ctx); err != nil {
			t.Errorf("revert %s: %v", f, err)
		}
	})
	return inj
}

// FlagToken is the admin token of the system's flag service ("" without one).
func (e *Env) FlagToken() string {
	svc, _ := e.System.Service(FlagService)
	return svc.Env[FlagTokenEnv]
}

// withFlagToken gives the flag service a random admin token unless the
// system set one, so the harness (and only it) can change flags. An
// external flag service has the token it was started with (set it in its
// Env to use SetFlag).
func withFlagToken(sys target.System) target.System {
	svcs := make([]target.Service, len(sys.Services))
	for i, s := range sys.Services {
		if s.Name == FlagService && s.Env[FlagTokenEnv] == "" && s.External == nil {
			env := target.Env{}
			for k, v := range s.Env {
				env[k] = v
			}
			env[FlagTokenEnv] = session.NewToken()
			s.Env = env
		}
		svcs[i] = s
	}
	sys.Services = svcs
	return sys
}

// FlagAdmin returns a client for the system's flag service.
func (e *Env) FlagAdmin() (*flags.AdminClient, error) {
	svc, ok := e.System.Service(FlagService)
	if !ok {
		return nil, fmt.Errorf("system %s has no %q service", e.System.Name, FlagService)
	}
	u, err := e.ServiceURL(FlagService)
	if err != nil {
		return nil, err
	}
	return flags.NewAdminClient(u, svc.Env[FlagTokenEnv]), nil
}

// SetFlag sets a flag's default variant now, records it on the timeline,
// and restores the previous variant in t.Cleanup.
func (e *Env) SetFlag(t T, key, variant string) {
	t.Helper()
	admin, err := e.FlagAdmin()
	if err != nil {
		t.Fatalf("set flag %s: %v", key, err)
	}
	ctx := context.WithoutCancel(t.Context())
	before, err := currentVariant(ctx, admin, key)
	if err != nil {
		t.Fatalf("set flag %s: %v", key, err)
	}
	if err := admin.Set(ctx, key, variant); err != nil {
		t.Fatalf("set flag %s=%s: %v", key, variant, err)
	}
	id := e.Timeline.Begin(timeline.FlagSet, key, key+"="+variant, map[string]string{"variant": variant, "was": before})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := admin.Set(ctx, key, before); err != nil {
			t.Errorf("restore flag %s=%s: %v", key, before, err)
		}
		e.Timeline.End(id, timeline.FlagRestore, map[string]string{"variant": before})
	})
}

func currentVariant(ctx context.Context, admin *flags.AdminClient, key string) (string, error) {
	list, err := admin.List(ctx)
	if err != nil {
		return "", err
	}
	for _, f := range list {
		if f.Key == key {
			return f.DefaultVariant, nil
		}
	}
	return "", fmt.Errorf("unknown flag %q", key)
}

// edges returns the proxies' cumulative caller→callee counts, or nil when
// the target has no proxies.
func (e *Env) edges(ctx context.Context) []proxy.Edge {
	p, ok := e.Running.(target.Proxied)
	if !ok {
		return nil
	}
	edges, err := p.Edges(ctx)
	if err != nil {
		e.cfg.logf("gameday: read proxy counts: %v", err)
		return nil
	}
	return edges
}

// NewRegistry returns a metric registry starting now, for a load run.
func (e *Env) NewRegistry() *metrics.Registry { return metrics.NewRegistry(time.Now()) }

type config struct {
	target      string // "auto", "embedded", "docker"
	custom      target.Target
	faultOpts   []fault.Option
	artifactDir string
	log         func(string)
}

func defaultConfig() config {
	return config{target: envOr("GAMEDAY_TARGET", "auto"), log: func(string) {}}
}

func (c config) logf(format string, args ...any) { c.log(fmt.Sprintf(format, args...)) }

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// Option configures an Env.
type Option func(*config)

// WithTarget chooses the target by name: "embedded", "docker" or "auto"
// (default, or $GAMEDAY_TARGET).
func WithTarget(name string) Option { return func(c *config) { c.target = name } }

// WithCustomTarget runs the system on t.
func WithCustomTarget(t target.Target) Option { return func(c *config) { c.custom = t } }

// WithFaultOptions passes options to the fault injector (MaxTargets, Forbid, ...).
func WithFaultOptions(opts ...fault.Option) Option {
	return func(c *config) { c.faultOpts = append(c.faultOpts, opts...) }
}

// WithArtifactDir is where browser screenshots and logs go.
func WithArtifactDir(dir string) Option { return func(c *config) { c.artifactDir = dir } }

// WithLog receives the harness's progress lines (target choice, warnings).
func WithLog(f func(string)) Option { return func(c *config) { c.log = f } }
