package harness_test

import (
	"context"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// Live SLOs fed from gameday's own load metrics: a threshold and a
// burn-rate objective watched every second while a load run goes on; a
// second of 503s breaks both, and the breaches are on the timeline as they
// happen.
func TestWatchLoadMetrics(t *testing.T) {
	env := harness.Start(t, twoTier(), harness.WithTarget("embedded"))
	front := env.URL("front")
	const d = 5 * time.Second
	run := env.Load(t, load.Scenarios{
		"users": load.ConstantArrivalRate{Rate: 100, Duration: d, PreAllocatedVUs: 20,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, front+"/", load.Name("front"))
				return err
			}},
	}, nil)
	th, err := slo.Thresholds(run.Registry(), map[string][]string{"http_req_failed{name:front}": {"rate<0.05"}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := slo.FromMetrics(run.Registry(), slo.Selector{Filter: metrics.Tags{"name": "front"}})
	if err != nil {
		t.Fatal(err)
	}
	m := env.Watch(t, "front slo", harness.Guard{Checks: []slo.Check{th},
		Objectives: []slo.Objective{{Name: "front 99%", Source: src, Target: 0.99}}}, d)
	env.Inject(t, "back", fault.HTTP{ErrorRate: 1, ErrorCode: 503}, fault.During(time.Second, time.Second))
	run.Wait(t)
	rep := m.Stop()
	broke := map[string]bool{}
	for _, c := range rep.Changes {
		if !c.Healthy {
			broke[c.Check] = true
		}
	}
	if !broke["front 99%"] || !broke[th.String()] {
		t.Errorf("want both the objective and the threshold broken, got %v", rep.Changes)
	}
	var windows int
	for _, w := range env.Timeline.Windows() {
		if w.Kind == slo.KindBreach {
			windows++
		}
	}
	if windows < 2 {
		t.Errorf("%d slo.breach windows on the timeline, want one per broken check", windows)
	}
	if len(rep.Burns) != 1 || rep.Burns[0].Total == 0 || rep.Burns[0].Good == rep.Burns[0].Total {
		t.Errorf("the objective's burn state counts no bad events: %+v", rep.Burns)
	}
}
