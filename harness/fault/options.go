package fault

import (
	"errors"
	"fmt"
	"path"
	"time"
)

// Defaults of Config.
const (
	DefaultMaxTargets    = 1
	DefaultTTLMargin     = 5 * time.Second
	DefaultRevertTimeout = 10 * time.Second
)

// Config is an Injector's blast-radius guard and safety margins. Set it
// through Options; zero fields take the defaults.
type Config struct {
	// MaxTargets is how many services one selector may match. Default 1.
	MaxTargets int
	// Forbid lists services (names or path.Match globs) no fault may
	// touch, e.g. "payment". Default none.
	Forbid []string
	// MaxDuration bounds a schedule's start and duration. Default
	// DefaultMaxDuration (1h).
	MaxDuration time.Duration
	// TTLMargin is added to an injection's remaining time to form the TTL
	// after which a fault proxy drops the fault by itself. Default 5s.
	TTLMargin time.Duration
	// RevertTimeout bounds each revert, which runs even when the
	// injection's context is already cancelled. Default 10s.
	RevertTimeout time.Duration
	// NoSignalRevert leaves SIGINT/SIGTERM alone. By default, while any
	// injection is active, those signals revert every active injection and
	// are then re-raised. Programs that cancel the injections' context on
	// those signals themselves may set it.
	NoSignalRevert bool
}

// Option changes a Config.
type Option func(*Config)

// WithMaxTargets lets one selector match up to n services.
func WithMaxTargets(n int) Option { return func(c *Config) { c.MaxTargets = n } }

// WithForbid forbids faults on services matching any of the patterns.
func WithForbid(patterns ...string) Option {
	return func(c *Config) { c.Forbid = append(c.Forbid, patterns...) }
}

// WithMaxDuration changes the bound on schedules.
func WithMaxDuration(d time.Duration) Option { return func(c *Config) { c.MaxDuration = d } }

// WithTTLMargin changes the margin added to the proxies' TTL.
func WithTTLMargin(d time.Duration) Option { return func(c *Config) { c.TTLMargin = d } }

// WithRevertTimeout changes the bound on each revert.
func WithRevertTimeout(d time.Duration) Option { return func(c *Config) { c.RevertTimeout = d } }

// WithoutSignalRevert leaves SIGINT and SIGTERM to the program.
func WithoutSignalRevert() Option { return func(c *Config) { c.NoSignalRevert = true } }

func (c Config) withDefaults() Config {
	if c.MaxTargets == 0 {
		c.MaxTargets = DefaultMaxTargets
	}
	if c.MaxDuration == 0 {
		c.MaxDuration = DefaultMaxDuration
	}
	if c.TTLMargin == 0 {
		c.TTLMargin = DefaultTTLMargin
	}
	if c.RevertTimeout == 0 {
		c.RevertTimeout = DefaultRevertTimeout
	}
	return c
}

// Validate reports every problem with c (after defaults).
func (c Config) Validate() error {
	var errs []error
	if c.MaxTargets < 0 {
		errs = append(errs, fmt.Errorf("max targets %d is negative", c.MaxTargets))
	}
	for _, p := range c.Forbid {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			errs = append(errs, fmt.Errorf("forbid pattern %q is not a valid glob", p))
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"max duration", c.MaxDuration}, {"ttl margin", c.TTLMargin}, {"revert timeout", c.RevertTimeout}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s %v is negative", d.name, d.v))
		}
	}
	return errors.Join(errs...)
}
