package harness

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// flagWriteTimeout bounds one change of the flag service, a revert too.
const flagWriteTimeout = 10 * time.Second

// RunRollout starts rollout r of a flag service reached through admin,
// recording its steps, breaches and revert on tl (nil: none). Env's
// StartRollout and Rollout use it; so does `gameday rollout` against a
// running system.
func RunRollout(ctx context.Context, admin *flags.AdminClient, tl *timeline.Timeline, r Rollout) (*RolloutRun, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("rollout: %w", err)
	}
	r = r.withDefaults()
	prev, err := readFlagState(ctx, admin, r.Flag, r.Variant)
	if err != nil {
		return nil, fmt.Errorf("rollout %s: %w", r.Flag, err)
	}
	if tl == nil {
		tl = timeline.New(time.Now())
	}
	rctx, cancel := context.WithCancel(ctx)
	rr := &RolloutRun{spec: r, prev: prev, admin: admin, done: make(chan struct{}), stop: cancel,
		res: RolloutResult{Flag: r.Flag, Variant: r.Variant, Previous: prev.variant, Plan: r.Steps, Step: -1}}
	var m *slo.Monitor
	if !r.Guard.Empty() {
		var onChange func(slo.Change)
		if r.Progress != nil {
			onChange = func(c slo.Change) { r.Progress("guard: " + c.String()) }
		}
		m, err = r.Guard.watch(context.WithoutCancel(ctx), tl, "rollout "+r.Flag+"="+r.Variant, r.Length(), onChange)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("rollout %s: guard: %w", r.Flag, err)
		}
	}
	go rr.run(rctx, admin, tl, prev, m)
	return rr, nil
}

// flagState is what a rollout puts back: the default variant in force and
// the targeting override, if one was set.
type flagState struct {
	variant   string
	override  bool
	targeting any
}

func readFlagState(ctx context.Context, admin *flags.AdminClient, key, variant string) (flagState, error) {
	list, err := admin.List(ctx)
	if err != nil {
		return flagState{}, err
	}
	for _, f := range list {
		if f.Key != key {
			continue
		}
		if _, ok := f.Variants[variant]; !ok {
			return flagState{}, &flags.UnknownVariantError{Key: key, Variant: variant, Valid: variantNames(f.Variants)}
		}
		st := flagState{variant: f.DefaultVariant}
		tg, err := admin.Targeting(ctx, key)
		if err != nil {
			return flagState{}, err
		}
		st.override, st.targeting = tg.Overridden, tg.Targeting
		return st, nil
	}
	return flagState{}, &flags.UnknownFlagError{Key: key}
}

func variantNames(v map[string]any) []string {
	out := make([]string, 0, len(v))
	for k := range v {
		out = append(out, k)
	}
	return out
}

func (rr *RolloutRun) run(ctx context.Context, admin *flags.AdminClient, tl *timeline.Timeline, prev flagState, m *slo.Monitor) {
	defer close(rr.done)
	r, res := rr.spec, &rr.res
	var breach <-chan struct{}
	if m != nil {
		breach = m.Breached()
		defer func() { res.Guard = m.Stop() }()
	}
	win := tl.Begin(timeline.FlagSet, r.Flag, "rollout "+r.Flag+"="+r.Variant,
		map[string]string{"variant": r.Variant, "was": prev.variant, "steps": fmtSteps(r.Steps), "dwell": r.Dwell.String()})
	for i, share := range r.Steps {
		if err := setShare(ctx, admin, r, prev, share); err != nil {
			res.Err = fmt.Errorf("step %d (%s): %w", i+1, fmtShare(share), err)
			rr.revert(admin, tl, win, prev, "error", nil)
			return
		}
		res.Steps = append(res.Steps, StepResult{Share: share, Start: time.Now()})
		step := fmt.Sprintf("step %d/%d: %s=%s for %s", i+1, len(r.Steps), r.Flag, r.Variant, fmtShare(share))
		stepWin := tl.Begin(KindRolloutStep, r.Flag, step, map[string]string{"step": strconv.Itoa(i + 1), "share": fmtShare(share)})
		r.progress(step + " of the evaluations, held " + r.Dwell.String())
		t := time.NewTimer(r.Dwell)
		select {
		case <-t.C:
			res.Steps[i].End = time.Now()
			tl.End(stepWin, KindRolloutStep+".end", nil)
			continue
		case <-breach:
			t.Stop()
			res.Steps[i].End = time.Now()
			tl.End(stepWin, KindRolloutStep+".end", map[string]string{"reason": "guard"})
			why, _ := m.FirstBreach()
			res.Step, res.Share, res.Breach, res.Detected = i, share, why, why.At
			rr.revert(admin, tl, win, prev, "guard", m)
			return
		case <-ctx.Done():
			t.Stop()
			res.Steps[i].End = time.Now()
			tl.End(stepWin, KindRolloutStep+".end", map[string]string{"reason": "stopped"})
			tl.End(win, timeline.FlagRestore, map[string]string{"reason": "stopped", "variant": r.Variant, "share": fmtShare(share)})
			return
		}
	}
	res.Completed = true
	tl.End(win, timeline.FlagRestore, map[string]string{"reason": "completed", "variant": r.Variant})
}

// setShare puts share of the evaluations on the new variant: a fractional
// rule below 1, the default variant (and no override) at 1.
func setShare(ctx context.Context, admin *flags.AdminClient, r Rollout, prev flagState, share float64) error {
	ctx, cancel := context.WithTimeout(ctx, flagWriteTimeout)
	defer cancel()
	if share < 1 {
		rule, err := flags.Fractional(r.Variant, share, prev.variant)
		if err != nil {
			return err
		}
		return admin.SetTargeting(ctx, r.Flag, rule)
	}
	if err := admin.Set(ctx, r.Flag, r.Variant); err != nil {
		return err
	}
	return admin.SetTargeting(ctx, r.Flag, nil)
}

// revert puts the flag's previous state back and records why.
func (rr *RolloutRun) revert(admin *flags.AdminClient, tl *timeline.Timeline, win string, prev flagState, reason string, m *slo.Monitor) {
	err := restoreFlag(context.Background(), admin, rr.spec.Flag, prev)
	res := &rr.res
	res.RevertedAt = time.Now()
	res.Reverted = err == nil && reason == "guard"
	if err != nil {
		res.Err = errors.Join(res.Err, fmt.Errorf("revert %s to %s: %w", rr.spec.Flag, prev.variant, err))
	}
	attrs := map[string]string{"reason": reason, "variant": prev.variant}
	if reason == "guard" {
		attrs["step"] = strconv.Itoa(res.Step + 1)
		attrs["share"] = fmtShare(res.Share)
		attrs["why"] = res.Breach.String()
		attrs["detect_to_revert"] = res.RevertedAt.Sub(res.Detected).String()
		if m != nil {
			var burned float64
			for _, b := range m.Report().Burns {
				burned = max(burned, b.BudgetConsumed)
			}
			attrs["budget_burned"] = fmtShare(burned)
		}
		line := fmt.Sprintf("reverted %s to %s at step %d (%s): guard broke", rr.spec.Flag, prev.variant, res.Step+1, fmtShare(res.Share))
		instant(tl, KindRolloutRevert, rr.spec.Flag, line, attrs)
		rr.spec.progress(line + "; " + attrs["detect_to_revert"] + " after the breach was seen")
	}
	tl.End(win, timeline.FlagRestore, attrs)
}

func fmtSteps(steps []float64) string {
	s := ""
	for i, v := range steps {
		if i > 0 {
			s += " → "
		}
		s += fmtShare(v)
	}
	return s
}

// restoreFlag puts a flag's previous default variant and targeting back.
func restoreFlag(ctx context.Context, admin *flags.AdminClient, key string, prev flagState) error {
	ctx, cancel := context.WithTimeout(ctx, flagWriteTimeout)
	defer cancel()
	var rule any
	if prev.override {
		rule = prev.targeting
	}
	// Default variant first: with the override still in place the rest of
	// the evaluations already get it, so nothing flips twice.
	return errors.Join(admin.Set(ctx, key, prev.variant), admin.SetTargeting(ctx, key, rule))
}

func (r Rollout) progress(line string) {
	if r.Progress != nil {
		r.Progress(line)
	}
}

// instant records an event as a zero-length window, so the run's summary
// (which lists windows with their attributes) carries it and why.
func instant(tl *timeline.Timeline, kind, target, name string, attrs map[string]string) {
	tl.End(tl.Begin(kind, target, name, attrs), kind+".end", nil)
}
