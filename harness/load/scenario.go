package load

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// InterruptedIterations counts iterations that did not complete normally,
// tagged cause: "error" (Exec returned an error or panicked) or "stop"
// (interrupted by the end of the scenario, a ramp-down or an abort).
const InterruptedIterations = "interrupted_iterations"

// scenarioRun is one scenario's live state.
type scenarioRun struct {
	eng   *engine
	name  string
	ex    Executor
	fn    Exec
	tags  metrics.Tags // scenario tag and the scenario's Tags
	start time.Time

	soft context.Context // done: schedule no more iterations
	hard context.Context // done: interrupt running iterations

	iters, iterDur, dropped, errIters, stopIters *metrics.Series

	vuSeq   uint64
	vuSeqMu sync.Mutex
}

func newScenarioRun(eng *engine, name string, ex Executor) *scenarioRun {
	b := ex.base()
	tags := metrics.Tags{"scenario": name}
	for k, v := range b.Tags {
		tags[k] = v
	}
	reg := eng.reg
	return &scenarioRun{
		eng: eng, name: name, ex: ex, fn: ex.exec(), tags: tags,
		iters:     reg.Metric(metrics.Iterations).Series(tags),
		iterDur:   reg.Metric(metrics.IterationDuration).Series(tags),
		dropped:   reg.Metric(metrics.DroppedIterations).Series(tags),
		errIters:  reg.Metric(InterruptedIterations).Series(tags.With("cause", "error")),
		stopIters: reg.Metric(InterruptedIterations).Series(tags.With("cause", "stop")),
	}
}

// newVU makes a VU for this scenario and counts it in vus_max.
func (sr *scenarioRun) newVU() *VU {
	sr.vuSeqMu.Lock()
	sr.vuSeq++
	n := sr.vuSeq
	sr.vuSeqMu.Unlock()
	vu := &VU{
		ID:           sr.eng.vuIDs.Add(1),
		IDInScenario: n,
		Scenario:     sr.name,
		Tags:         metrics.Tags{},
		Metrics:      sr.eng.reg,
		sr:           sr,
	}
	vu.HTTP = &vu.client
	vu.client.vu = vu
	sr.eng.vusMax.Add(1)
	return vu
}

// iterate runs one iteration of vu. scheduled is the open model's due
// time (zero for the closed-model executors).
func (sr *scenarioRun) iterate(ctx context.Context, vu *VU, scheduled time.Time) {
	start := time.Now()
	vu.ScheduledAt = scheduled
	vu.iterStart = start
	vu.firstReq = !scheduled.IsZero()
	vu.group = ""
	vu.ctx = ctx
	err := sr.call(ctx, vu)
	end := time.Now()
	vu.Iteration++
	if ctx.Err() != nil {
		sr.stopIters.Add(end, 1)
		return
	}
	clock := start
	if !scheduled.IsZero() && scheduled.Before(start) {
		clock = scheduled
	}
	sr.iters.Add(end, 1)
	sr.iterDur.Add(end, ms(end.Sub(clock)))
	if err != nil {
		sr.errIters.Add(end, 1)
	}
}

func (sr *scenarioRun) call(ctx context.Context, vu *VU) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("scenario %s: vu %d panicked: %v\n%s", sr.name, vu.ID, r, debug.Stack())
		}
	}()
	return sr.fn(ctx, vu)
}

// drop records an iteration the executor could not start.
func (sr *scenarioRun) drop(at time.Time) { sr.dropped.Add(at, 1) }

// wait sleeps until t; false when the scenario stopped first.
func (sr *scenarioRun) wait(t time.Time, timer *time.Timer) bool {
	return sleepUntil(sr.soft.Done(), t, timer, sr.soft.Err) == nil
}

// loop runs iterations on vu while more says so and the scenario runs.
func (sr *scenarioRun) loop(vu *VU, more func() bool) {
	sr.eng.active.Add(1)
	defer sr.eng.active.Add(-1)
	defer vu.close()
	for sr.soft.Err() == nil && more() {
		sr.iterate(sr.hard, vu, time.Time{})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
