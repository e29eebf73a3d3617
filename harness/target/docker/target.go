package docker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/session"
	"github.com/gameday-dev/gameday/harness/target"
)

// Target is the docker target. The zero value is not usable: call New.
type Target struct {
	opts options
}

var _ target.Target = (*Target)(nil)

// New returns the docker target configured by opts.
func New(opts ...Option) *Target {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return &Target{opts: o}
}

// Name is "docker".
func (t *Target) Name() string { return "docker" }

// validate reports every problem with the options for sys.
func (o options) validate(sys target.System) error {
	var errs []error
	switch o.restartPolicy {
	case "", "no", "on-failure", "always", "unless-stopped":
	default:
		errs = append(errs, fmt.Errorf("restart policy %q: must be no, on-failure, always or unless-stopped", o.restartPolicy))
	}
	for svc, b := range o.memory {
		if _, ok := sys.Service(svc); !ok {
			errs = append(errs, fmt.Errorf("memory limit for %s: %w", svc, target.ErrUnknownService))
		}
		if b < 6<<20 {
			errs = append(errs, fmt.Errorf("memory limit for %s: %d bytes is below Docker's 6MiB minimum", svc, b))
		}
	}
	for svc, c := range o.cpus {
		if _, ok := sys.Service(svc); !ok {
			errs = append(errs, fmt.Errorf("cpu limit for %s: %w", svc, target.ErrUnknownService))
		}
		if c <= 0 {
			errs = append(errs, fmt.Errorf("cpu limit for %s: %v must be positive", svc, c))
		}
	}
	if o.healthTimeout <= 0 {
		errs = append(errs, fmt.Errorf("health timeout %s: must be positive", o.healthTimeout))
	}
	if o.parallel < 1 {
		errs = append(errs, fmt.Errorf("parallel %d: must be at least 1", o.parallel))
	}
	if len(sys.Services) == 0 {
		errs = append(errs, errors.New("system has no services"))
	}
	if err := sys.Validate(); err != nil {
		errs = append(errs, err)
	}
	for _, s := range sys.Services {
		if s.Run != nil && sys.Binary == nil {
			errs = append(errs, fmt.Errorf("service %s runs a Go function but the system has no Binary to run it in a container", s.Name))
		}
		if s.Process != nil || s.External != nil {
			errs = append(errs, fmt.Errorf("service %s: a %s service cannot run in docker (use the local target, or give it a Container)", s.Name, s.Kind()))
		}
	}
	return errors.Join(errs...)
}

// Start builds (or reuses) the system's image, creates the run's network,
// starts every service behind its sidecar and waits until each is healthy.
// On error everything already created is removed before it returns.
func (t *Target) Start(ctx context.Context, sys target.System) (target.Running, error) {
	r, err := t.start(ctx, sys)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// StartSystem is Start returning the concrete *Running, with its docker-only
// methods (Events, Watch, ...).
func (t *Target) StartSystem(ctx context.Context, sys target.System) (*Running, error) {
	return t.start(ctx, sys)
}

func (t *Target) start(ctx context.Context, sys target.System) (*Running, error) {
	if err := t.opts.validate(sys); err != nil {
		return nil, fmt.Errorf("docker target: %w", err)
	}
	if err := Available(ctx); err != nil {
		return nil, fmt.Errorf("docker target: %w", err)
	}
	cli, err := newClient()
	if err != nil {
		return nil, err
	}
	if t.opts.sweep {
		if _, err := SweepLogged(ctx, t.opts.log); err != nil {
			fmt.Fprintf(t.opts.log, "docker: sweep: %v\n", err)
		}
	}
	began := time.Now()
	binFunc := sys.Binary
	if binFunc == nil {
		binFunc = AgentBinary
	}
	bin, err := binFunc(ctx)
	if err != nil {
		cli.Close()
		return nil, fmt.Errorf("docker target: binary for %s: %w", sys.Name, err)
	}
	image, err := ensureImage(ctx, cli, bin)
	if err != nil {
		cli.Close()
		return nil, fmt.Errorf("docker target: %w", err)
	}
	fmt.Fprintf(t.opts.log, "docker: image %s ready after %s\n", image, time.Since(began).Round(time.Millisecond))
	r := newRunning(cli, sys, image, t.opts)
	r.superviseRun(ctx)
	if err := r.up(ctx); err != nil {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return nil, errors.Join(fmt.Errorf("docker target: start %s: %w", sys.Name, err), r.Stop(stopCtx))
	}
	fmt.Fprintf(t.opts.log, "docker: %s up (run %s) after %s\n", sys.Name, r.runID, time.Since(began).Round(time.Millisecond))
	return r, nil
}

// newRunning prepares the bookkeeping of a run; up creates its containers.
func newRunning(cli *client.Client, sys target.System, image string, o options) *Running {
	r := &Running{
		cli:     cli,
		sys:     sys,
		image:   image,
		opts:    o,
		runID:   newRunID(),
		token:   session.NewToken(),
		started: time.Now(),
		svcs:    map[string]*service{},
		done:    make(chan struct{}),
	}
	r.labels = runLabels(r.runID, r.started)
	for _, s := range sys.Services {
		r.svcs[s.Name] = &service{spec: s}
		r.order = append(r.order, s.Name)
	}
	return r
}

// hostPort joins the loopback address with a published port.
func hostPort(port string) string { return net.JoinHostPort("127.0.0.1", port) }
