package slo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/timeline"
)

// Timeline kinds of a Monitor's state changes: a breach opens a window on
// the check's name, a recovery (or the monitor's end) closes it.
const (
	KindBreach  = "slo.breach"
	KindRecover = "slo.recover"
)

// DefaultInterval is how often a Monitor evaluates its checks.
const DefaultInterval = time.Second

// Config configures a Monitor.
type Config struct {
	// Name labels the monitor's timeline events (e.g. "rollout paymentFailure").
	Name string
	// Checks are evaluated at every tick; at least one.
	Checks []Check
	// Interval between evaluations. Default DefaultInterval.
	Interval time.Duration
	// Timeline receives every state change; nil records none.
	Timeline *timeline.Timeline
	// OnChange is called, on the monitor's goroutine, after each change.
	OnChange func(Change)
}

// Validate reports every problem with the configuration.
func (c Config) Validate() error {
	var errs []error
	if len(c.Checks) == 0 {
		errs = append(errs, errors.New("checks: at least one"))
	}
	for i, ch := range c.Checks {
		if ch == nil {
			errs = append(errs, fmt.Errorf("check %d: nil", i))
		}
	}
	if c.Interval < 0 {
		errs = append(errs, fmt.Errorf("interval %s: must not be negative", c.Interval))
	}
	return errors.Join(errs...)
}

// Change is one check's state change.
type Change struct {
	At      time.Time `json:"at"`
	Check   string    `json:"check"`
	Healthy bool      `json:"healthy"`
	Detail  string    `json:"detail"`
}

func (c Change) String() string {
	state := "breached"
	if c.Healthy {
		state = "recovered"
	}
	return fmt.Sprintf("%s %s: %s", c.Check, state, c.Detail)
}

// Report is what a Monitor saw.
type Report struct {
	Name       string      `json:"name"`
	Start, End time.Time   `json:"-"`
	Changes    []Change    `json:"changes"`
	Breached   bool        `json:"breached"` // some check broke at least once
	Burns      []BurnState `json:"burns,omitempty"`
}

// Monitor evaluates checks once per interval until stopped.
type Monitor struct {
	cfg   Config
	start time.Time

	mu       sync.Mutex
	state    []checkState
	changes  []Change
	breach   chan struct{}
	breached bool
	first    Change

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	end      time.Time
}

type checkState struct {
	healthy bool
	window  string // open timeline window while breached
}

// Watch evaluates every check once now (a source's baseline) and then at
// every interval on a goroutine of its own, until Stop or ctx ends.
func Watch(ctx context.Context, cfg Config) (*Monitor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("slo monitor %s: %w", cfg.Name, err)
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultInterval
	}
	m := &Monitor{cfg: cfg, start: time.Now(), state: make([]checkState, len(cfg.Checks)),
		breach: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	for i := range m.state {
		m.state[i].healthy = true
	}
	m.evaluate(ctx, m.start)
	go m.loop(ctx)
	return m, nil
}

func (m *Monitor) loop(ctx context.Context) {
	defer close(m.done)
	t := time.NewTicker(m.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.stop:
			return
		case now := <-t.C:
			m.evaluate(ctx, now)
		}
	}
}

// evaluate runs every check and records the ones whose health flipped.
func (m *Monitor) evaluate(ctx context.Context, now time.Time) {
	for i, ch := range m.cfg.Checks {
		st := ch.Eval(ctx, now)
		m.mu.Lock()
		prev := m.state[i].healthy
		if st.Healthy == prev {
			m.mu.Unlock()
			continue
		}
		c := Change{At: now, Check: ch.String(), Healthy: st.Healthy, Detail: st.Detail}
		m.state[i].healthy = st.Healthy
		m.changes = append(m.changes, c)
		if tl := m.cfg.Timeline; tl != nil {
			attrs := map[string]string{"monitor": m.cfg.Name, "detail": st.Detail}
			if st.Healthy {
				tl.End(m.state[i].window, KindRecover, attrs)
				m.state[i].window = ""
			} else {
				m.state[i].window = tl.Begin(KindBreach, ch.String(), st.Detail, attrs)
			}
		}
		if !st.Healthy && !m.breached {
			m.breached, m.first = true, c
			close(m.breach)
		}
		m.mu.Unlock()
		if m.cfg.OnChange != nil {
			m.cfg.OnChange(c)
		}
	}
}

// Breached is closed at the first time a check breaks.
func (m *Monitor) Breached() <-chan struct{} { return m.breach }

// FirstBreach is the change that first closed Breached.
func (m *Monitor) FirstBreach() (Change, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.first, m.breached
}

// Healthy reports whether every check held at the last evaluation.
func (m *Monitor) Healthy() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.state {
		if !s.healthy {
			return false
		}
	}
	return true
}

// Stop ends the monitor, closes any open breach window on the timeline and
// returns the report. Safe to call twice (and concurrently); later calls
// return the same report.
func (m *Monitor) Stop() Report {
	m.stopOnce.Do(func() {
		close(m.stop)
		<-m.done
		m.mu.Lock()
		m.end = time.Now()
		for i := range m.state {
			if w := m.state[i].window; w != "" && m.cfg.Timeline != nil {
				m.cfg.Timeline.End(w, KindRecover, map[string]string{"monitor": m.cfg.Name, "detail": "monitor stopped while breached"})
				m.state[i].window = ""
			}
		}
		m.mu.Unlock()
	})
	return m.Report()
}

// Report returns what the monitor saw so far.
func (m *Monitor) Report() Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := Report{Name: m.cfg.Name, Start: m.start, End: m.end, Breached: m.breached,
		Changes: append([]Change(nil), m.changes...)}
	for _, ch := range m.cfg.Checks {
		if b, ok := ch.(*BurnCheck); ok {
			r.Burns = append(r.Burns, b.Burn())
		}
	}
	return r
}
