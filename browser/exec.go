package browser

import (
	"context"

	"github.com/gameday-dev/gameday/harness/load"
)

// Exec adapts j to a load executor's iteration, so a browser scenario is
// just another scenario: each VU walks j in its own browser context (VUs
// beyond MaxContexts wait for one). Samples go to the run's registry
// (vu.Metrics) tagged with the VU's tags and its scenario; a failed
// journey is a failed iteration whose error names the step.
func (p *Pool) Exec(j Journey) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		reg := vu.Metrics
		if reg == nil {
			reg = p.cfg.Registry
		}
		tags := vu.Tags.With("scenario", vu.Scenario)
		// VU IDs are unique in a run, so scenarios sharing a pool never
		// share a browser context.
		return p.runJourney(ctx, int(vu.ID), j, tags, reg)
	}
}
