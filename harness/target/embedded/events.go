package embedded

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// eventLog keeps the running system's lifecycle events for watchers.
type eventLog struct {
	mu     sync.Mutex
	events []target.Event
	wake   chan struct{} // closed and replaced on each event
	closed bool
}

func newEventLog() *eventLog { return &eventLog{wake: make(chan struct{})} }

func (l *eventLog) add(ev target.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.events = append(l.events, ev)
	close(l.wake)
	l.wake = make(chan struct{})
}

func (l *eventLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.wake)
	}
}

func (l *eventLog) since(n int) ([]target.Event, <-chan struct{}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]target.Event(nil), l.events[n:]...), l.wake, l.closed
}

// WatchEvents reports processes that exit by themselves and OOM kills
// (target.EventSource), until ctx ends or the system stops.
func (r *Running) WatchEvents(ctx context.Context, fn func(target.Event)) error {
	evs, _, _ := r.events.since(0)
	next := len(evs)
	for {
		evs, wake, closed := r.events.since(next)
		for _, ev := range evs {
			fn(ev)
		}
		next += len(evs)
		if closed {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

// ended records how a process instance ended, unless the harness ended it.
func (r *Running) ended(s *service, pi *procInstance, oomBefore int) {
	s.mu.Lock()
	asked := !s.running || s.inst != pi
	s.mu.Unlock()
	now := time.Now()
	if s.cg != nil && s.cg.oomKills() > oomBefore {
		r.events.add(target.Event{Time: now, Kind: timeline.TargetOOM, Service: s.spec.Name, Name: "oom-killed"})
	}
	if asked {
		return
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(pi.err, &ee) {
		code = ee.ExitCode()
	} else if pi.err == nil {
		code = 0
	}
	name := "exited with code " + strconv.Itoa(code)
	if code == -1 && pi.err != nil {
		name = "ended: " + pi.err.Error()
	}
	r.events.add(target.Event{Time: now, Kind: target.KindExit, Service: s.spec.Name, Name: name,
		Attrs: map[string]string{"exitCode": strconv.Itoa(code)}})
	r.cfg.logf("gameday: %s: %s", s.spec.Name, name)
}
