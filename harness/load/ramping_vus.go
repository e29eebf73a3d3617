package load

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// RampingVUs changes the number of looping VUs linearly through stages
// (k6's ramping-vus). A VU removed by a ramp-down finishes its iteration,
// for at most GracefulRampDown.
type RampingVUs struct {
	Base
	// Exec is the iteration. Required.
	Exec Exec
	// StartVUs is the VU count at the start. Default 0 (k6's default is 1;
	// a Go zero value cannot tell "unset" from "ramp up from zero").
	StartVUs int
	// Stages ramp the VU count to each Target over each Duration. Required.
	Stages []Stage
	// GracefulRampDown is how long an iteration of a VU removed by a ramp-
	// down may go on. Default 30s; NoGracefulStop for none.
	GracefulRampDown time.Duration
}

// Type is "ramping-vus".
func (r RampingVUs) Type() string { return "ramping-vus" }

// Validate reports every problem of the configuration.
func (r RampingVUs) Validate() error {
	errs := validateCommon(r.Base, r.Exec)
	if r.StartVUs < 0 {
		errs = append(errs, fmt.Errorf("startVUs %d is negative", r.StartVUs))
	}
	if err := validateStages(r.Stages); err != nil {
		errs = append(errs, err)
	}
	if r.GracefulRampDown < 0 && r.GracefulRampDown != NoGracefulStop {
		errs = append(errs, fmt.Errorf("gracefulRampDown %s is negative (use NoGracefulStop)", r.GracefulRampDown))
	}
	if r.maxVUs() == 0 {
		errs = append(errs, errors.New("startVUs and every stage target are 0: no VU would run"))
	}
	return errors.Join(errs...)
}

func (r RampingVUs) base() Base          { return r.Base }
func (r RampingVUs) exec() Exec          { return r.Exec }
func (r RampingVUs) span() time.Duration { return stagesDuration(r.Stages) }

func (r RampingVUs) maxVUs() int {
	m := r.StartVUs
	for _, s := range r.Stages {
		m = max(m, s.Target)
	}
	return m
}

// vuStep is the VU count from offset At on.
type vuStep struct {
	At  time.Duration
	VUs int
}

// steps lists every change of the VU count: in a stage from a to b VUs over
// d, the count moves by one at each d*k/|b-a|.
func (r RampingVUs) steps() []vuStep {
	out := []vuStep{{0, r.StartVUs}}
	cur := r.StartVUs
	var t time.Duration
	for _, s := range r.Stages {
		diff := s.Target - cur
		n, sign := diff, 1
		if diff < 0 {
			n, sign = -diff, -1
		}
		for k := 1; k <= n; k++ {
			at := t + time.Duration(int64(s.Duration)*int64(k)/int64(n))
			out = append(out, vuStep{at, cur + sign*k})
		}
		t += s.Duration
		cur = s.Target
	}
	return out
}

// rampSlot is one VU position; slot i runs while i < target.
type rampSlot struct {
	mu      sync.Mutex
	epoch   uint64 // iterations started
	cancel  context.CancelFunc
	running bool
}

type rampState struct {
	mu      sync.Mutex
	target  int
	changed chan struct{}
}

func (st *rampState) get() (int, <-chan struct{}) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.target, st.changed
}

func (r RampingVUs) run(sr *scenarioRun) {
	st := &rampState{changed: make(chan struct{})}
	slots := make([]*rampSlot, r.maxVUs())
	var wg sync.WaitGroup
	for i := range slots {
		slots[i] = &rampSlot{}
		vu := sr.newVU()
		wg.Go(func() { r.slot(sr, st, i, slots[i], vu) })
	}
	grace := graceOrDefault(r.GracefulRampDown)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for _, s := range r.steps() {
		if !sr.wait(sr.start.Add(s.At), timer) {
			break
		}
		st.mu.Lock()
		old := st.target
		st.target = s.VUs
		close(st.changed)
		st.changed = make(chan struct{})
		st.mu.Unlock()
		for i := s.VUs; i < old; i++ {
			interruptAfter(slots[i], grace, st, i)
		}
	}
	wg.Wait()
}

// interruptAfter cancels the iteration slot is running now if it still
// runs after grace and the slot is still ramped down.
func interruptAfter(slot *rampSlot, grace time.Duration, st *rampState, i int) {
	slot.mu.Lock()
	epoch, running := slot.epoch, slot.running
	slot.mu.Unlock()
	if !running {
		return
	}
	time.AfterFunc(grace, func() {
		if target, _ := st.get(); target > i {
			return
		}
		slot.mu.Lock()
		defer slot.mu.Unlock()
		if slot.epoch == epoch && slot.running {
			slot.cancel()
		}
	})
}

func (r RampingVUs) slot(sr *scenarioRun, st *rampState, i int, slot *rampSlot, vu *VU) {
	active := false
	defer vu.close()
	defer func() {
		if active {
			sr.eng.active.Add(-1)
		}
	}()
	for sr.soft.Err() == nil {
		target, changed := st.get()
		if i >= target {
			if active {
				active = false
				sr.eng.active.Add(-1)
			}
			select {
			case <-changed:
				continue
			case <-sr.soft.Done():
				return
			}
		}
		if !active {
			active = true
			sr.eng.active.Add(1)
		}
		ctx, cancel := context.WithCancel(sr.hard)
		slot.mu.Lock()
		slot.epoch++
		slot.cancel, slot.running = cancel, true
		slot.mu.Unlock()
		sr.iterate(ctx, vu, time.Time{})
		slot.mu.Lock()
		slot.running = false
		slot.mu.Unlock()
		cancel()
	}
}
