package slo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// Objective is a service-level objective judged live by multi-window burn
// rates: the share of good events Source counts must be at least Target.
type Objective struct {
	// Name is used in messages and on the timeline. Default: derived.
	Name   string
	Source Source
	// Target is the good share required, in (0, 1), e.g. 0.999.
	Target float64
	// Policy gives the alerts and how run time scales to production time.
	// Default: the workbook's paging alerts, scaled so the slowest alert's
	// long window spans Span.
	Policy Policy
	// Span is how long the watched run, rollout or fault lasts; it sets the
	// Policy's default Scale. Required unless Policy.Scale is set.
	Span time.Duration
	// MinEvents is how many events a window needs before its alert may
	// fire. Default 1: one failed request out of one is a 100% error rate.
	MinEvents uint64
	// MaxBlind is how many evaluations in a row the Source may fail to be
	// read before the objective counts as broken: a guard that cannot see
	// must not let a rollout or a fault go on. Default DefaultMaxBlind.
	MaxBlind int
}

// DefaultMaxBlind is how many unreadable evaluations in a row break an
// objective.
const DefaultMaxBlind = 3

// Validate reports every problem with the objective.
func (o Objective) Validate() error {
	var errs []error
	if o.Source == nil {
		errs = append(errs, errors.New("source: required (slo.FromMetrics or slo.FromEdges)"))
	}
	if !(o.Target > 0 && o.Target < 1) {
		errs = append(errs, fmt.Errorf("target %v: must be in (0, 1), e.g. 0.999", o.Target))
	}
	if o.Span < 0 {
		errs = append(errs, fmt.Errorf("span %s: must not be negative", o.Span))
	}
	if o.Span == 0 && o.Policy.Scale == 0 {
		errs = append(errs, errors.New("span: required to scale the alerts' windows (or set Policy.Scale)"))
	}
	if err := o.Policy.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("policy: %w", err))
	}
	return errors.Join(errs...)
}

func (o Objective) String() string {
	if o.Name != "" {
		return o.Name
	}
	if o.Source == nil {
		return fmt.Sprintf("%.4g%% good", o.Target*100)
	}
	return fmt.Sprintf("%.4g%% of %s good", o.Target*100, o.Source)
}

// AlertState is one alert's state at the last evaluation.
type AlertState struct {
	Alert
	LongWindow, ShortWindow time.Duration // scaled to run time
	LongBurn, ShortBurn     float64
	Firing                  bool
}

// BurnState is an objective's error-budget spend so far.
type BurnState struct {
	Objective   string
	Policy      Policy // with defaults filled in
	Good, Total uint64
	// Rate is the burn rate over everything watched so far.
	Rate float64
	// BudgetConsumed is the share of the Period's budget spent so far, the
	// watched time standing for Scale times its length.
	BudgetConsumed float64
	Alerts         []AlertState
}

// BurnCheck judges an Objective at each tick of a Monitor. It keeps the
// cumulative counts of every tick, so any window is two subtractions.
type BurnCheck struct {
	obj    Objective
	policy Policy

	mu       sync.Mutex
	start    time.Time
	last     time.Time
	tick     time.Duration
	base     Counts // the source's counts when watching began
	hist     Cumulative
	state    BurnState
	baseline bool
	blind    int // evaluations in a row whose source could not be read
}

// NewBurnCheck validates o and returns its live check.
func NewBurnCheck(o Objective) (*BurnCheck, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("objective %s: %w", o, err)
	}
	if o.MinEvents == 0 {
		o.MinEvents = 1
	}
	if o.MaxBlind <= 0 {
		o.MaxBlind = DefaultMaxBlind
	}
	p := o.Policy.WithDefaults(o.Span)
	return &BurnCheck{obj: o, policy: p, state: BurnState{Objective: o.String(), Policy: p}}, nil
}

func (c *BurnCheck) String() string { return c.obj.String() }

// Eval samples the source and evaluates every alert over the windows that
// end now. The first call records the baseline and judges nothing.
func (c *BurnCheck) Eval(ctx context.Context, now time.Time) Status {
	counts, err := c.obj.Source.Counts(ctx, now)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.blind++
		if c.blind >= c.obj.MaxBlind {
			return Status{Detail: fmt.Sprintf("blind: source unreadable %d times in a row: %v", c.blind, err)}
		}
		return Status{Healthy: true, NoData: true, Detail: err.Error()}
	}
	c.blind = 0
	if !c.baseline {
		c.baseline, c.start, c.last, c.base = true, now, now, counts
		c.hist = Cumulative{Good: []uint64{0}, Total: []uint64{0}}
		return Status{Healthy: true, NoData: true, Detail: "baseline"}
	}
	if c.tick == 0 {
		c.tick = now.Sub(c.last)
	}
	c.last = now
	d := counts.Sub(c.base)
	c.hist.Good = append(c.hist.Good, d.Good)
	c.hist.Total = append(c.hist.Total, d.Total)
	return c.judge(now)
}

func (c *BurnCheck) judge(now time.Time) Status {
	end := c.hist.Len()
	budget := 1 - c.obj.Target
	st := &c.state
	st.Good, st.Total = c.hist.Good[end], c.hist.Total[end]
	st.Rate = c.hist.Burn(0, end, budget)
	st.BudgetConsumed = c.policy.Budget(st.Rate, now.Sub(c.start))
	st.Alerts = st.Alerts[:0]
	var firing []string
	for _, a := range c.policy.Alerts {
		long, short := c.policy.Windows(a, 0)
		lt, stk := c.ticks(long), c.ticks(short)
		lb, sb, fired := c.hist.WindowBurn(a, lt, stk, 0, end, budget)
		if fired && c.hist.Total[end]-c.hist.Total[max(0, end-stk)] < c.obj.MinEvents {
			fired = false
		}
		st.Alerts = append(st.Alerts, AlertState{Alert: a, LongBurn: lb, ShortBurn: sb, Firing: fired,
			LongWindow: time.Duration(long) * time.Second, ShortWindow: time.Duration(short) * time.Second})
		if fired {
			firing = append(firing, fmt.Sprintf("%g× alert: burn %.3g over %ds and %.3g over %ds",
				a.Factor, lb, long, sb, short))
		}
	}
	if st.Total == 0 {
		return Status{Healthy: true, NoData: true, Detail: "no events yet"}
	}
	detail := fmt.Sprintf("burn %.3g× (%d bad of %d), %.3g%% of the %s budget spent",
		st.Rate, st.Total-st.Good, st.Total, st.BudgetConsumed*100, c.policy.Period)
	if len(firing) > 0 {
		return Status{Detail: strings.Join(firing, "; ") + "; " + detail}
	}
	return Status{Healthy: true, Detail: detail}
}

// ticks converts a window in run seconds to evaluation ticks, at least 1.
func (c *BurnCheck) ticks(secs int) int {
	if c.tick <= 0 || c.tick == time.Second {
		return secs
	}
	return max(1, int(math.Ceil(float64(secs)*float64(time.Second)/float64(c.tick))))
}

// Burn returns the objective's spend at the last evaluation.
func (c *BurnCheck) Burn() BurnState {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.state
	out.Alerts = append([]AlertState(nil), c.state.Alerts...)
	return out
}
