package target

import (
	"context"
	"time"
)

// Event is a lifecycle event of a service that the target saw happen on
// its own (a program exiting, the kernel's OOM killer), in a shape ready
// for the run's timeline: timeline.Add(Kind, Service, Name, Attrs).
type Event struct {
	Time    time.Time
	Kind    string // timeline.TargetOOM, KindExit, ...
	Service string
	Name    string // e.g. "exited with code 1"
	Attrs   map[string]string
}

// KindExit is the Event kind of a service's program ending by itself (not
// by a kill or stop the harness asked for).
const KindExit = "target.exit"

// EventSource is a Running that reports lifecycle events.
type EventSource interface {
	// WatchEvents calls fn, in order and from one goroutine, with every
	// event from now on until ctx ends or the system stops.
	WatchEvents(ctx context.Context, fn func(Event)) error
}
