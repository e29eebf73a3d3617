package embedded

import (
	"context"
	"errors"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
)

// startAll runs every service and waits until all are ready. Func
// services start at once (their listeners are already bound, so a caller
// of a dependency still starting waits in its accept queue); a process
// starts once the services it calls (and those it starts After) are
// ready, as a program may give up on a dependency that refuses it at
// start (unless they form a cycle: then every process starts at once too).
func (r *Running) startAll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ReadyTimeout)
	defer cancel()
	ordered := !cyclic(r.sys)
	done := make(map[string]chan struct{}, len(r.order))
	for _, name := range r.order {
		done[name] = make(chan struct{})
	}
	errs := make([]error, len(r.order))
	failed := make(map[string]*error, len(r.order))
	for i, name := range r.order {
		failed[name] = &errs[i]
	}
	for i, name := range r.order {
		go func() {
			defer close(done[name])
			s := r.services[name]
			if s.spec.Process != nil && ordered {
				for _, callee := range s.spec.StartsAfter() {
					select {
					case <-done[callee]:
					case <-ctx.Done():
						errs[i] = fmt.Errorf("service %s: waiting for %s: %w", name, callee, ctx.Err())
						return
					}
					if *failed[callee] != nil {
						errs[i] = fmt.Errorf("service %s not started: %s did not get ready", name, callee)
						return
					}
				}
			}
			if err := r.run(s); err != nil {
				errs[i] = err
				return
			}
			errs[i] = r.waitReady(ctx, s)
		}()
	}
	for _, name := range r.order {
		<-done[name]
	}
	for _, st := range r.settings {
		r.cfg.logf("gameday: configure %s: %s=%s (edge %s->%s through gameday's fault proxy)",
			st.Service, st.Env, st.Value, st.Service, st.Callee)
	}
	return errors.Join(errs...)
}

// cyclic reports whether the system's calls form a cycle.
func cyclic(sys target.System) bool {
	calls := map[string][]string{}
	for _, s := range sys.Services {
		calls[s.Name] = s.StartsAfter()
	}
	const (
		visiting = 1
		visited  = 2
	)
	state := map[string]int{}
	var visit func(string) bool
	visit = func(n string) bool {
		switch state[n] {
		case visiting:
			return true
		case visited:
			return false
		}
		state[n] = visiting
		for _, c := range calls[n] {
			if visit(c) {
				return true
			}
		}
		state[n] = visited
		return false
	}
	for _, s := range sys.Services {
		if visit(s.Name) {
			return true
		}
	}
	return false
}
