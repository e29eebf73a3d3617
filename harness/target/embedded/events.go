package embedded

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// WatchEvents reports processes that exit by themselves and OOM kills
// (target.EventSource), until ctx ends or the system stops.
func (r *Running) WatchEvents(ctx context.Context, fn func(target.Event)) error {
	return r.events.Watch(ctx, fn)
}

// ended records how a process instance ended, unless the harness ended it.
func (r *Running) ended(s *service, pi *procInstance, oomBefore int) {
	s.mu.Lock()
	asked := !s.running || s.inst != pi
	s.mu.Unlock()
	now := time.Now()
	if s.cg != nil && s.cg.oomKills() > oomBefore {
		r.events.Add(target.Event{Time: now, Kind: timeline.TargetOOM, Service: s.spec.Name, Name: "oom-killed"})
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
	r.events.Add(target.Event{Time: now, Kind: target.KindExit, Service: s.spec.Name, Name: name,
		Attrs: map[string]string{"exitCode": strconv.Itoa(code)}})
	r.cfg.logf("gameday: %s: %s", s.spec.Name, name)
}
