// Package timeline records what happened to a run and when: faults injected
// and reverted, flags changed, targets killed, OOM-killed or restarted,
// phases of a scenario. Assertions use it to say which faults were active in
// a window, and reports shade those windows on the plots.
package timeline

import (
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Kinds of events. Producers may use others; these are the ones consumers know.
const (
	FaultInject   = "fault.inject"
	FaultRevert   = "fault.revert"
	FlagSet       = "flag.set"
	FlagRestore   = "flag.restore"
	TargetKill    = "target.kill"
	TargetStart   = "target.start"
	TargetRestart = "target.restart"
	TargetOOM     = "target.oom"
	Phase         = "phase"
	Note          = "note"
)

// Event is one thing that happened. Begin/End pairs share an ID.
type Event struct {
	ID     string            `json:"id,omitempty"`
	Time   time.Time         `json:"time"`
	Kind   string            `json:"kind"`
	Target string            `json:"target,omitempty"` // service or flag key
	Name   string            `json:"name"`             // e.g. "http: delay 900ms±150ms"
	Attrs  map[string]string `json:"attrs,omitempty"`
}

// Window is a span between a Begin and its End (open windows end at the
// time Windows is called).
type Window struct {
	ID     string            `json:"id"`
	Kind   string            `json:"kind"` // the Begin event's kind
	Target string            `json:"target,omitempty"`
	Name   string            `json:"name"`
	Start  time.Time         `json:"start"`
	End    time.Time         `json:"end"`
	Open   bool              `json:"open,omitempty"`
	Attrs  map[string]string `json:"attrs,omitempty"`
}

// Overlaps reports whether the window intersects [from, to).
func (w Window) Overlaps(from, to time.Time) bool {
	return w.Start.Before(to) && w.End.After(from)
}

// String reads like "fault.inject product-catalog http: delay 900ms [12.0s–42.0s]".
func (w Window) String() string {
	return fmt.Sprintf("%s %s %s", w.Kind, w.Target, w.Name)
}

// Timeline is safe for concurrent use. The zero value is not usable: call New.
type Timeline struct {
	start time.Time
	now   func() time.Time
	seq   atomic.Uint64

	mu     sync.Mutex
	events []Event
	open   map[string]int // ID -> index of its Begin event
}

// New returns an empty timeline whose relative times count from start.
func New(start time.Time) *Timeline {
	return &Timeline{start: start, now: time.Now, open: map[string]int{}}
}

// Start is the run's zero time.
func (tl *Timeline) Start() time.Time { return tl.start }

// Add records a point event (no window).
func (tl *Timeline) Add(kind, target, name string, attrs map[string]string) Event {
	ev := Event{Time: tl.now(), Kind: kind, Target: target, Name: name, Attrs: attrs}
	tl.mu.Lock()
	tl.events = append(tl.events, ev)
	tl.mu.Unlock()
	return ev
}

// Begin records the start of a window (a fault injected, a flag set) and
// returns its ID for End.
func (tl *Timeline) Begin(kind, target, name string, attrs map[string]string) string {
	id := kind + "#" + strconv.FormatUint(tl.seq.Add(1), 10)
	ev := Event{ID: id, Time: tl.now(), Kind: kind, Target: target, Name: name, Attrs: attrs}
	tl.mu.Lock()
	tl.open[id] = len(tl.events)
	tl.events = append(tl.events, ev)
	tl.mu.Unlock()
	return id
}

// End closes the window id with an event of the given kind (e.g.
// FaultRevert). Ending an unknown or closed window does nothing and
// returns false, so End is safe to call twice.
func (tl *Timeline) End(id, kind string, attrs map[string]string) bool {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	i, ok := tl.open[id]
	if !ok {
		return false
	}
	delete(tl.open, id)
	b := tl.events[i]
	tl.events = append(tl.events, Event{ID: id, Time: tl.now(), Kind: kind, Target: b.Target, Name: b.Name, Attrs: attrs})
	return true
}

// Events returns a copy of every event, in time order.
func (tl *Timeline) Events() []Event {
	tl.mu.Lock()
	out := append([]Event(nil), tl.events...)
	tl.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// Windows pairs Begin and End events. Windows still open end now.
func (tl *Timeline) Windows() []Window {
	now := tl.now()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	var out []Window
	byID := map[string]int{}
	for _, ev := range tl.events {
		if ev.ID == "" {
			continue
		}
		if i, ok := byID[ev.ID]; ok {
			out[i].End, out[i].Open = ev.Time, false
			continue
		}
		byID[ev.ID] = len(out)
		out = append(out, Window{ID: ev.ID, Kind: ev.Kind, Target: ev.Target, Name: ev.Name,
			Start: ev.Time, End: now, Open: true, Attrs: ev.Attrs})
	}
	return out
}

// Active returns the windows that overlap [from, to).
func (tl *Timeline) Active(from, to time.Time) []Window {
	var out []Window
	for _, w := range tl.Windows() {
		if w.Overlaps(from, to) {
			out = append(out, w)
		}
	}
	return out
}
