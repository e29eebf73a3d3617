package load

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// The run's monitor judges abortOnFail thresholds once a second; in a
// synctest bubble the clock is exact, so the abort lands on the first
// tick past delayAbortEval where the threshold fails.
func TestRunAbortsOnFailAfterDelayAbortEval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		reg := metrics.NewRegistry(start)
		failed := reg.Metric(metrics.HTTPReqFailed).Series(nil)
		res, err := RunLoad(t.Context(), Options{
			Registry: reg,
			Scenarios: Scenarios{"failing": ConstantVUs{VUs: 1, Duration: time.Minute,
				Exec: func(ctx context.Context, vu *VU) error {
					failed.Add(time.Now(), 1)
					select {
					case <-ctx.Done():
					case <-time.After(130 * time.Millisecond):
					}
					return nil
				}}},
			ThresholdConfigs: map[string][]metrics.ThresholdConfig{
				metrics.HTTPReqFailed: {{Threshold: "rate<0.5", AbortOnFail: true, DelayAbortEval: 5 * time.Second}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Aborted || len(res.Thresholds) != 1 || !res.Thresholds[0].Aborted || res.Thresholds[0].Ok {
			t.Fatalf("aborted %v (%s), thresholds %+v", res.Aborted, res.AbortReason, res.Thresholds)
		}
		// the abort comes at the 6 s tick, the first past 5 s; the
		// iteration in flight then ends
		if d := res.End.Sub(res.Start); d < 6*time.Second || d > 6*time.Second+200*time.Millisecond {
			t.Fatalf("run lasted %v, want 6s plus at most one iteration", d)
		}
	})
}
