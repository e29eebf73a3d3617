package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// The live monitor and the post-run verdict share their arithmetic: fed the
// same samples as they arrive, the live 14.4× alert fires at the very
// second after which the post-run BurnRate says it fired. 100 requests a
// second, 2% failing from second 30 (20×): the 10 s long window reaches
// 1.44% after 8 bad seconds, at 38 s.
func TestLiveAndPostRunBurnAgree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		const secs = 60
		reg := metrics.NewRegistry(start)
		policy := assertions.BurnPolicy{Alerts: assertions.WorkbookAlerts[:1], Scale: 360}
		src, err := slo.FromMetrics(reg, slo.Selector{})
		if err != nil {
			t.Fatal(err)
		}
		check, err := slo.NewBurnCheck(slo.Objective{Source: src, Target: 0.999, Policy: policy})
		if err != nil {
			t.Fatal(err)
		}
		m, err := slo.Watch(t.Context(), slo.Config{Checks: []slo.Check{check}})
		if err != nil {
			t.Fatal(err)
		}
		fed := make(chan struct{})
		go func() {
			defer close(fed)
			// samples land mid-second, the monitor ticks on whole seconds
			time.Sleep(500 * time.Millisecond)
			s := reg.Metric(metrics.HTTPReqFailed).Series(nil)
			for sec := range secs {
				for i := range 100 {
					s.Add(time.Now(), b2f(sec >= 30 && i < 2))
				}
				time.Sleep(time.Second)
			}
		}()
		time.Sleep(secs * time.Second)
		rep := m.Stop()
		<-fed
		run := &harness.Run{Metrics: reg, Start: start, End: start.Add(secs * time.Second)}
		post, err := assertions.BurnRate(run, assertions.Availability(nil, 0.999), policy)
		if err != nil {
			t.Fatal(err)
		}
		if !post.Alerts[0].Fired || len(rep.Changes) == 0 {
			t.Fatalf("post-run fired %v, live changes %v: both must fire", post.Alerts[0].Fired, rep.Changes)
		}
		if live, after := rep.Changes[0].At.Sub(start), post.Alerts[0].At.Sub(start); live != after || live != 38*time.Second {
			t.Errorf("live alert at %s, post-run at %s, want both at 38s", live, after)
		}
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
