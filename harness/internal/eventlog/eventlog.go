// Package eventlog is an append-only list of events that watchers follow
// as they come: the running targets' lifecycle events (process exits, OOM
// kills, restarts).
package eventlog

import (
	"context"
	"sync"
)

// Log is safe for concurrent use; its zero value is empty and open.
type Log[E any] struct {
	mu     sync.Mutex
	events []E
	wake   chan struct{} // closed and replaced on every append
	closed bool
}

// Add appends ev and wakes the watchers; once the log is closed it drops
// ev.
func (l *Log[E]) Add(ev E) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.events = append(l.events, ev)
	if l.wake != nil {
		close(l.wake)
	}
	l.wake = make(chan struct{})
}

// Close ends every Watch once it has seen the events so far. It is safe
// to call twice.
func (l *Log[E]) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	if l.wake != nil {
		close(l.wake)
	}
}

// All returns a copy of every event so far, oldest first.
func (l *Log[E]) All() []E {
	evs, _, _ := l.since(0)
	return evs
}

// Watch calls fn, in order and from the calling goroutine, with every
// event added from now on, until ctx ends (ctx's error) or the log is
// closed (nil).
func (l *Log[E]) Watch(ctx context.Context, fn func(E)) error {
	l.mu.Lock()
	next := len(l.events)
	l.mu.Unlock()
	for {
		evs, wake, closed := l.since(next)
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

// since returns the events from index i on, a channel closed at the next
// append (or at Close), and whether the log is closed.
func (l *Log[E]) since(i int) ([]E, <-chan struct{}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.wake == nil {
		l.wake = make(chan struct{})
		if l.closed {
			close(l.wake)
		}
	}
	var out []E
	if i < len(l.events) {
		out = append(out, l.events[i:]...)
	}
	return out, l.wake, l.closed
}
