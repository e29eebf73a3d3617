package browser

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Step is one named action of a journey. Action composes like any chromedp
// action (chromedp.Steps, chromedp.Func, ...); the step's name tags its
// metrics and names it in failures.
type Step struct {
	Name   string
	Action chromedp.Action[chromedp.Void]
	// Timeout bounds the step. Default: the pool's StepTimeout.
	Timeout time.Duration
}

// Journey is a named sequence of steps a virtual user walks through.
type Journey struct {
	Name  string
	Steps []Step
}

// Validate reports a journey without a name or with unnamed or empty steps.
func (j Journey) Validate() error {
	if j.Name == "" {
		return fmt.Errorf("journey: name required")
	}
	for i, s := range j.Steps {
		if s.Name == "" || s.Action == nil {
			return fmt.Errorf("journey %s: step %d: name and action required", j.Name, i)
		}
	}
	return nil
}

// RunJourney walks vuID's browser context through j, recording metrics
// tagged with tags plus journey and step. It returns a *StepError naming
// the step that failed; per-page metrics of the pages visited before are
// recorded either way. A panic inside a step is recovered into a StepError
// (cause "panic"), and the VU's context is replaced.
func (p *Pool) RunJourney(ctx context.Context, vuID int, j Journey, tags metrics.Tags) error {
	return p.runJourney(ctx, vuID, j, tags, p.cfg.Registry)
}

// runJourney is RunJourney recording into reg.
func (p *Pool) runJourney(ctx context.Context, vuID int, j Journey, tags metrics.Tags, reg *metrics.Registry) error {
	if err := j.Validate(); err != nil {
		return err
	}
	base := tags.With("journey", j.Name)
	s, err := p.acquire(ctx, vuID)
	if err != nil {
		if ctx.Err() == nil && err != ErrPoolClosed {
			countError(reg, base, causeOf(err, nil, ctx))
		}
		return fmt.Errorf("journey %s: vu %d: %w", j.Name, vuID, err)
	}
	s.col.begin(reg, base)
	var failure *StepError
	defer func() {
		p.release(s, failure == nil)
	}()
	for i, st := range j.Steps {
		s.col.setStep(st.Name)
		navs := s.col.navigations()
		start := time.Now()
		timeout := st.Timeout
		if timeout <= 0 {
			timeout = p.cfg.StepTimeout
		}
		err, stack := runStep(ctx, s, st, timeout)
		status := "ok"
		if err != nil {
			status = "failed"
		}
		_ = reg.Add(metrics.BrowserStepDuration, time.Now(), msSince(start),
			base.With("step", st.Name, "status", status))
		if err == nil && p.shouldReadVitals(s, navs, i == len(j.Steps)-1) {
			// Best effort: a page that cannot be read now (mid-navigation)
			// fails the next step, not this one, if something is wrong.
			_ = p.readVitals(s, ctx)
		}
		if err != nil {
			failure = p.fail(ctx, s, j.Name, st.Name, vuID, err, stack)
			s.col.flush(time.Now())
			return failure
		}
	}
	s.col.flush(time.Now())
	if p.isClosed() {
		// Closing the browser can complete a page (its pending loads abort):
		// a journey cut short by Close is not a success.
		return fmt.Errorf("journey %s: vu %d: %w during the journey", j.Name, vuID, ErrPoolClosed)
	}
	return nil
}

// runStep runs one step bounded by timeout and by ctx, turning a panic into
// an error with its stack.
func runStep(ctx context.Context, s *session, st Step, timeout time.Duration) (err error, stack []byte) {
	sctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel) // the VU's context ends the step too
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			err, stack = &panicError{value: r}, debug.Stack()
		}
	}()
	err = chromedp.Do(sctx, st.Action)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err, nil
}

// shouldReadVitals: the page is read after a step that loaded a new
// document (to settle its paints) and after the last step. With
// VitalsSettle < 0 only the last step reads; the probe's pushes carry the
// rest.
func (p *Pool) shouldReadVitals(s *session, navsBefore int, last bool) bool {
	if last {
		return true
	}
	return p.cfg.VitalsSettle >= 0 && s.col.navigations() != navsBefore
}

// readVitals flushes the page's pending performance entries after a step, so
// a page left by the next step still reports LCP of late images.
func (p *Pool) readVitals(s *session, ctx context.Context) error {
	vctx, cancel := context.WithTimeout(s.ctx, p.cfg.StepTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := readVitals(vctx, s.col, p.cfg.VitalsSettle); err != nil {
		return fmt.Errorf("read web vitals: %w", err)
	}
	return nil
}

func msSince(t time.Time) float64 { return float64(time.Since(t)) / float64(time.Millisecond) }
