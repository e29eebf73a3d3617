package harness

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/slo"
)

// Timeline kinds of a rollout's steps (a window each) and of its automatic
// revert (a zero-length window, so the run's summary lists it with its
// step, share, reason and the budget burned).
const (
	KindRolloutStep   = "rollout.step"
	KindRolloutRevert = "rollout.revert"
)

// DefaultDwell is how long a rollout holds each step while its guard watches.
const DefaultDwell = 10 * time.Second

// Rollout moves a flag to a variant, in steps of fractional targeting
// (flagd's fractional operator: Steps of 0.01, 0.1, 0.5, 1 give the variant
// to 1%, 10%, 50% then all of the evaluations), holding each step for
// Dwell while Guard is watched. The first breach of the guard reverts the
// flag to its previous state — default variant and targeting — at once.
type Rollout struct {
	Flag    string
	Variant string
	// Steps are increasing shares in (0, 1]; the last must be 1. Default
	// {1}: the whole flag at once.
	Steps []float64
	// Dwell is how long each step (the last one too) is held and watched.
	// Default DefaultDwell.
	Dwell time.Duration
	// Guard is watched from the first step to the end of the last dwell;
	// an empty guard makes an unguarded rollout. Objectives without a Span
	// are scaled to the rollout's length (steps × dwell).
	Guard Guard
	// Progress, if set, receives one line per step, guard state change and
	// revert as they happen (the CLI prints them). A step's line comes once
	// the step is in force and before its dwell starts: the call holds the
	// step for as long as it takes.
	Progress func(string)
}

// Validate reports every problem with the rollout.
func (r Rollout) Validate() error {
	var errs []error
	if r.Flag == "" {
		errs = append(errs, errors.New("flag: required"))
	}
	if r.Variant == "" {
		errs = append(errs, errors.New("variant: required"))
	}
	prev := 0.0
	for i, s := range r.Steps {
		if !(s > prev && s <= 1) {
			errs = append(errs, fmt.Errorf("step %d (%v): shares must increase within (0, 1]", i+1, s))
		}
		prev = max(prev, s)
	}
	if n := len(r.Steps); n > 0 && r.Steps[n-1] != 1 {
		errs = append(errs, fmt.Errorf("last step %v: must be 1 (the whole flag)", r.Steps[n-1]))
	}
	if r.Dwell < 0 || (r.Dwell > 0 && r.Dwell < 100*time.Millisecond) {
		errs = append(errs, fmt.Errorf("dwell %s: must be at least 100ms", r.Dwell))
	}
	if err := r.Guard.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("guard: %w", err))
	}
	return errors.Join(errs...)
}

func (r Rollout) withDefaults() Rollout {
	if len(r.Steps) == 0 {
		r.Steps = []float64{1}
	}
	if r.Dwell == 0 {
		r.Dwell = DefaultDwell
	}
	return r
}

// Length is how long the rollout lasts when nothing breaks.
func (r Rollout) Length() time.Duration {
	r = r.withDefaults()
	return time.Duration(len(r.Steps)) * r.Dwell
}

// StepResult is one step as it happened.
type StepResult struct {
	Share      float64   `json:"share"`
	Start, End time.Time `json:"-"`
}

// RolloutResult is what a rollout did.
type RolloutResult struct {
	Flag, Variant string
	Previous      string       // the default variant before, restored on a revert
	Plan          []float64    // the shares the rollout was to go through
	Steps         []StepResult // the steps it went through
	Completed     bool         // every step held for its dwell without a breach
	Reverted      bool         // the guard broke and the flag was put back
	// Step is the index into Steps of the step in force when the guard
	// broke (-1 when it did not), and Share that step's share.
	Step  int
	Share float64
	// Breach is the guard's first breach; Detected is when the monitor saw
	// it and RevertedAt when the flag service had the previous state back.
	Breach     slo.Change
	Detected   time.Time
	RevertedAt time.Time
	// Guard is the guard's report: its state changes and, per objective,
	// the error budget burned while it watched.
	Guard slo.Report
	Err   error // the flag service could not be changed or put back
}

// DetectToRevert is how long the revert took after the breach was seen.
func (r *RolloutResult) DetectToRevert() time.Duration {
	if !r.Reverted {
		return 0
	}
	return r.RevertedAt.Sub(r.Detected)
}

// BudgetBurned is the largest share of an objective's error budget the
// rollout spent while its guard watched.
func (r *RolloutResult) BudgetBurned() float64 {
	var b float64
	for _, s := range r.Guard.Burns {
		b = max(b, s.BudgetConsumed)
	}
	return b
}

func (r *RolloutResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rollout %s=%s (was %s): ", r.Flag, r.Variant, r.Previous)
	switch {
	case r.Err != nil:
		fmt.Fprintf(&b, "error: %v", r.Err)
	case r.Reverted:
		fmt.Fprintf(&b, "reverted at step %d/%d (%s) %s after the guard broke; %s of the error budget burned; %s",
			r.Step+1, len(r.Plan), fmtShare(r.Share), r.DetectToRevert().Round(time.Millisecond),
			fmtShare(r.BudgetBurned()), r.Breach)
	case r.Completed && len(r.Guard.Burns) == 0:
		fmt.Fprintf(&b, "completed in %d steps, unguarded", len(r.Steps))
	case r.Completed:
		fmt.Fprintf(&b, "completed in %d steps; %s of the error budget burned", len(r.Steps), fmtShare(r.BudgetBurned()))
	default:
		b.WriteString("stopped before it completed")
	}
	return b.String()
}

func fmtShare(s float64) string { return strconv.FormatFloat(s*100, 'g', 4, 64) + "%" }

// RolloutRun is a rollout in progress.
type RolloutRun struct {
	spec  Rollout
	prev  flagState
	admin *flags.AdminClient
	done  chan struct{}
	res   RolloutResult
	stop  context.CancelFunc
}

// Wait blocks until the rollout completed, was reverted or stopped, and
// fails t if the flag service could not be changed or put back.
func (rr *RolloutRun) Wait(t T) *RolloutResult {
	t.Helper()
	res, err := rr.Collect(context.WithoutCancel(t.Context()))
	if err != nil {
		t.Fatalf("%v", err)
	}
	return res
}

// Collect is Wait without a T.
func (rr *RolloutRun) Collect(ctx context.Context) (*RolloutResult, error) {
	select {
	case <-rr.done:
		return &rr.res, rr.res.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Restore puts the flag's state from before the rollout back (default
// variant and targeting), whatever the rollout did; for a test's cleanup or
// an interrupted rollout. It waits for the rollout to stop first.
func (rr *RolloutRun) Restore(ctx context.Context) error {
	rr.Stop()
	if err := restoreFlag(ctx, rr.admin, rr.spec.Flag, rr.prev); err != nil {
		return fmt.Errorf("rollout %s: restore %s: %w", rr.spec.Flag, rr.prev.variant, err)
	}
	return nil
}

// Stop ends the rollout where it is (the flag stays as it is then) and
// waits for it. Safe twice.
func (rr *RolloutRun) Stop() {
	rr.stop()
	<-rr.done
}

// StartRollout validates r, reads the flag's state and starts moving it on
// a goroutine; the rollout ends when it completes, its guard breaks (the
// flag is put back) or ctx ends (the flag stays where it is).
func (e *Env) StartRollout(ctx context.Context, r Rollout) (*RolloutRun, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	admin, err := e.FlagAdmin()
	if err != nil {
		return nil, fmt.Errorf("rollout %s: %w", r.Flag, err)
	}
	return RunRollout(ctx, admin, e.Timeline, r)
}

// Rollout is StartRollout for tests: it fails t on a bad rollout and, in
// t.Cleanup, stops it and puts the flag's previous state back whatever
// happened, so a test leaves the system as it found it.
func (e *Env) Rollout(t T, r Rollout) *RolloutRun {
	t.Helper()
	rr, err := e.StartRollout(context.WithoutCancel(t.Context()), r)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		rr.Stop()
		if err := rr.Restore(context.Background()); err != nil {
			t.Errorf("%v", err)
		}
	})
	return rr
}
