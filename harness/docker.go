package harness

import (
	"context"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker"
)

func dockerAvailable(ctx context.Context) error { return docker.Available(ctx) }
func newDocker() target.Target                  { return docker.New() }

// watcher is a target that reports lifecycle events (OOM kills, restarts).
type watcher interface {
	Watch(ctx context.Context, fn func(docker.Event)) error
}

// watchEvents copies a target's lifecycle events onto the timeline until
// ctx ends.
func watchEvents(ctx context.Context, r target.Running, e *Env) {
	if src, ok := r.(target.EventSource); ok {
		go func() {
			err := src.WatchEvents(ctx, func(ev target.Event) {
				e.Timeline.Add(ev.Kind, ev.Service, ev.Name, ev.Attrs)
			})
			if err != nil && ctx.Err() == nil {
				e.cfg.logf("gameday: watch %s events: %v", r.Kind(), err)
			}
		}()
		return
	}
	w, ok := r.(watcher)
	if !ok {
		return
	}
	go func() {
		err := w.Watch(ctx, func(ev docker.Event) {
			e.Timeline.Add(ev.Kind, ev.Service, ev.Name(), ev.Attrs())
		})
		if err != nil && ctx.Err() == nil {
			e.cfg.logf("gameday: watch %s events: %v", r.Kind(), err)
		}
	}()
}
