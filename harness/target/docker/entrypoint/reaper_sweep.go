package entrypoint

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// sweepRun reverts the engine-level faults of a run (unpause) and removes
// its containers, the reaper's own excepted, its networks and volumes, logging the
// outcome with why through logf.
func sweepRun(ctx context.Context, e *engine, runID, why string, logf func(string, ...any)) error {
	label := labelRun + "=" + runID
	list, err := e.containers(ctx, label)
	if err != nil {
		logf("%s: sweep of run %s failed: %v", why, runID, err)
		return fmt.Errorf("list containers of %s: %w", runID, err)
	}
	var errs []error
	var unpaused, removed, nets []string
	for _, c := range list {
		if c.Labels[labelRole] == roleReaper || c.State != "paused" {
			continue
		}
		if err := e.unpause(ctx, c.ID); err != nil && !errors.Is(err, errGone) {
			errs = append(errs, fmt.Errorf("unpause %s: %w", c.Labels[labelSvc], err))
			continue
		}
		unpaused = append(unpaused, c.Labels[labelSvc])
	}
	// in parallel, a few at a time: one by one, a demo's 28 containers
	// take the engine about 8 s on a small machine
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, 8)
	)
	for _, c := range list {
		if c.Labels[labelRole] == roleReaper {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			err := e.removeContainer(ctx, c.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && !errors.Is(err, errGone) {
				errs = append(errs, fmt.Errorf("remove container %.12s: %w", c.ID, err))
				return
			}
			removed = append(removed, c.ID)
		})
	}
	wg.Wait()
	nl, err := e.networks(ctx, label)
	if err != nil {
		errs = append(errs, fmt.Errorf("list networks of %s: %w", runID, err))
	}
	for _, n := range nl {
		if err := e.removeNetwork(ctx, n.ID); err != nil && !errors.Is(err, errGone) {
			errs = append(errs, fmt.Errorf("remove network %s: %w", n.Name, err))
			continue
		}
		nets = append(nets, n.Name)
	}
	vl, err := e.volumes(ctx, label)
	if err != nil {
		errs = append(errs, fmt.Errorf("list volumes of %s: %w", runID, err))
	}
	var vols []string
	for _, v := range vl {
		if err := e.removeVolume(ctx, v.Name); err != nil && !errors.Is(err, errGone) {
			errs = append(errs, fmt.Errorf("remove volume %s: %w", v.Name, err))
			continue
		}
		vols = append(vols, v.Name)
	}
	logf("%s: swept run %s: unpaused %v, removed %d containers, networks %v and volumes %v", why, runID, unpaused, len(removed), nets, vols)
	if err := errors.Join(errs...); err != nil {
		logf("%s: sweep of run %s incomplete: %v", why, runID, err)
		return err
	}
	return nil
}
