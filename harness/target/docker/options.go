package docker

import (
	"io"
	"time"
)

// Defaults of the options.
const (
	DefaultHealthTimeout = 60 * time.Second // per service, from container start
	DefaultParallel      = 8                // services (sidecar, then service) started at once
)

// Option configures the docker target.
type Option func(*options)

type options struct {
	restartPolicy string
	memory        map[string]int64
	cpus          map[string]float64
	healthTimeout time.Duration
	parallel      int
	log           io.Writer
	sweep         bool
}

func defaultOptions() options {
	return options{
		memory:        map[string]int64{},
		cpus:          map[string]float64{},
		healthTimeout: DefaultHealthTimeout,
		parallel:      DefaultParallel,
		log:           io.Discard,
		sweep:         true,
	}
}

// WithRestartPolicy sets the Docker restart policy of service containers:
// "no" (the default: a killed or OOM-killed service stays down until
// Start), "on-failure", "always" or "unless-stopped".
func WithRestartPolicy(policy string) Option {
	return func(o *options) { o.restartPolicy = policy }
}

// WithMemoryLimit starts service svc with a hard memory limit (no swap).
// Exceeding it gets the service OOM-killed.
func WithMemoryLimit(svc string, bytes int64) Option {
	return func(o *options) { o.memory[svc] = bytes }
}

// WithCPULimit starts service svc limited to cpus CPUs (e.g. 0.5).
func WithCPULimit(svc string, cpus float64) Option {
	return func(o *options) { o.cpus[svc] = cpus }
}

// WithHealthTimeout bounds how long Start waits for each service to answer
// its health check. Default DefaultHealthTimeout.
func WithHealthTimeout(d time.Duration) Option {
	return func(o *options) { o.healthTimeout = d }
}

// WithParallel sets how many containers are created at once. Default
// DefaultParallel.
func WithParallel(n int) Option {
	return func(o *options) { o.parallel = n }
}

// WithLog sends progress lines (image build, containers started, sweeps)
// to w. Default: discarded.
func WithLog(w io.Writer) Option {
	return func(o *options) { o.log = w }
}

// WithoutSweep skips removing dead runs' leftovers at Start.
func WithoutSweep() Option {
	return func(o *options) { o.sweep = false }
}
