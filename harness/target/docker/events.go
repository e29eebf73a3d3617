package docker

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/timeline"
)

// KindExit is the Event kind of a service's process ending (any cause).
// The others are timeline's: TargetOOM, TargetRestart, TargetStart.
const KindExit = "target.exit"

// Event is something the engine reported about a service container, in a
// shape ready for the run's timeline (timeline.Add(Kind, Service, Name, Attrs)).
type Event struct {
	Time     time.Time
	Kind     string // timeline.TargetOOM, timeline.TargetRestart (by the restart policy), timeline.TargetStart (by Start), KindExit
	Service  string
	ExitCode int // for KindExit: 137 after SIGKILL or an OOM kill
}

// Name is a short description for the timeline.
func (e Event) Name() string {
	switch e.Kind {
	case timeline.TargetOOM:
		return "oom-killed"
	case timeline.TargetRestart:
		return "restarted by its restart policy"
	case timeline.TargetStart:
		return "started"
	case KindExit:
		return "exited with code " + strconv.Itoa(e.ExitCode)
	}
	return e.Kind
}

// Attrs are the event's details as timeline attributes.
func (e Event) Attrs() map[string]string {
	if e.Kind == KindExit {
		return map[string]string{"exitCode": strconv.Itoa(e.ExitCode)}
	}
	return nil
}

// Events returns every event seen since Start, oldest first.
func (r *Running) Events() []Event { return r.events.All() }

// Watch calls fn, in order and from one goroutine, with every event from
// now on until ctx is cancelled or the run stops. It blocks until then.
func (r *Running) Watch(ctx context.Context, fn func(Event)) error { return r.events.Watch(ctx, fn) }

// watchEvents follows the engine's event stream for the run's service
// containers until Stop, reconnecting if the stream breaks.
func (r *Running) watchEvents() {
	ready := make(chan struct{})
	var once sync.Once
	r.watchWG.Go(func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-r.done; cancel() }()
		f := client.Filters{}.
			Add("type", string(events.ContainerEventType)).
			Add("label", LabelRun+"="+r.runID, LabelRole+"="+RoleService).
			Add("event", "oom", "die", "start")
		since, last := "", int64(0)
		seen := map[string]bool{} // services that died at least once
		for ctx.Err() == nil {
			res := r.cli.Events(ctx, client.EventsListOptions{Since: since, Filters: f})
			once.Do(func() { close(ready) })
		stream:
			for {
				select {
				case m := <-res.Messages:
					if m.TimeNano <= last {
						continue // seen before the stream was reopened
					}
					last = m.TimeNano
					since = fmt.Sprintf("%d.%09d", m.TimeNano/1e9, m.TimeNano%1e9)
					r.record(m, seen)
				case <-res.Err:
					break stream
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	})
	<-ready
}

func (r *Running) record(m events.Message, diedBefore map[string]bool) {
	svc := m.Actor.Attributes[LabelService]
	ev := Event{Time: time.Unix(0, m.TimeNano), Service: svc}
	switch m.Action {
	case "oom":
		ev.Kind = timeline.TargetOOM
	case events.ActionDie:
		ev.Kind = KindExit
		ev.ExitCode, _ = strconv.Atoi(m.Actor.Attributes["exitCode"])
		diedBefore[svc] = true
	case events.ActionStart:
		if !diedBefore[svc] {
			return // the first start, part of Start
		}
		ev.Kind = timeline.TargetRestart
		if r.takeManualStart(svc) {
			ev.Kind = timeline.TargetStart
		} else {
			r.recall(svc)
		}
	default:
		return
	}
	r.events.Add(ev)
}

// recall re-reads the address of a service its restart policy restarted
// (a container with an endpoint of its own may come back with another)
// and tells the sidecars, so its calls are still counted as its own. It
// runs beside the event watcher, which must not wait on the sidecars.
func (r *Running) recall(svc string) {
	s, ok := r.svcs[svc]
	if !ok || s.layout != layoutAlias {
		return
	}
	r.watchWG.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		go func() {
			select {
			case <-r.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		err := r.refreshIP(ctx, s)
		if err == nil {
			err = r.registerCallers(ctx)
		}
		if err != nil && ctx.Err() == nil {
			r.logf("docker: %s restarted by its restart policy: callers not updated: %v", svc, err)
		}
	})
}

// oomKills counts the service's OOM kills the engine reported.
func (r *Running) oomKills(svc string) int {
	n := 0
	for _, ev := range r.events.All() {
		if ev.Service == svc && ev.Kind == timeline.TargetOOM {
			n++
		}
	}
	return n
}

// manualStarts are the pending Start calls per service: a start event
// they explain is the harness's, not the restart policy's.
type manualStarts struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *Running) noteManualStart(svc string) {
	r.manual.mu.Lock()
	defer r.manual.mu.Unlock()
	if r.manual.n == nil {
		r.manual.n = map[string]int{}
	}
	r.manual.n[svc]++
}

func (r *Running) takeManualStart(svc string) bool {
	r.manual.mu.Lock()
	defer r.manual.mu.Unlock()
	if r.manual.n[svc] > 0 {
		r.manual.n[svc]--
		return true
	}
	return false
}
