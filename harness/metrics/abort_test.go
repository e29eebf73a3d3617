package metrics

import (
	"testing"
	"testing/synctest"
	"time"
)

// abortScenario runs, in a synctest bubble, a producer that records ten
// http_req_failed samples a second (at x.05 s, x.15 s, … so none lands on
// a tick) that fail from failFrom on, and a monitor that calls CheckAbort
// once a second like the load engine's. It returns when the monitor saw
// the abort (how long after the start) or after limit, and the final
// whole-run results.
func abortScenario(t *testing.T, cfg ThresholdConfig, failFrom, limit time.Duration, produce bool) (time.Duration, []ThresholdResult, []ThresholdResult) {
	t.Helper()
	var abortedAt time.Duration
	var fired, final []ThresholdResult
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		reg := NewRegistry(start)
		ts, err := ParseThresholdConfigs(map[string][]ThresholdConfig{HTTPReqFailed: {cfg}}, reg)
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			if !produce {
				return
			}
			time.Sleep(50 * time.Millisecond)
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				v := 0.0
				if time.Since(start) >= failFrom {
					v = 1
				}
				reg.Metric(HTTPReqFailed).Series(nil).Add(time.Now(), v)
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		tick := time.NewTicker(time.Second)
		for elapsed := time.Duration(0); elapsed < limit; {
			<-tick.C
			elapsed = time.Since(start)
			if abort, f := ts.CheckAbort(elapsed); abort {
				abortedAt, fired = elapsed, f
				break
			}
		}
		tick.Stop()
		close(stop)
		<-done
		ts.SetRun(start, time.Now())
		final = ts.Evaluate(time.Time{}, time.Time{})
	})
	return abortedAt, fired, final
}

func TestAbortOnFailWaitsForDelayAbortEval(t *testing.T) {
	cfg := ThresholdConfig{Threshold: "rate<0.1", AbortOnFail: true, DelayAbortEval: 10 * time.Second}
	// failing from 3 s on: judged for the first time past 10 s, at the
	// 11 s tick, and failing
	at, fired, _ := abortScenario(t, cfg, 3*time.Second, time.Minute, true)
	if at != 11*time.Second || len(fired) != 1 || !fired[0].Aborted || fired[0].Ok {
		t.Fatalf("aborted at %v, fired %+v; want at 11s", at, fired)
	}
	// failing from 12 s on: the whole-run rate crosses 0.1 at 14 s (20
	// failures of 140), not at 13 s (10 of 130)
	at, fired, _ = abortScenario(t, cfg, 12*time.Second, time.Minute, true)
	if at != 14*time.Second || len(fired) != 1 || fired[0].Value <= 0.1 {
		t.Fatalf("aborted at %v, fired %+v; want at 14s", at, fired)
	}
}

func TestAbortOnFailWithoutDelayFiresAtFirstTick(t *testing.T) {
	cfg := ThresholdConfig{Threshold: "rate<0.1", AbortOnFail: true}
	at, _, _ := abortScenario(t, cfg, 0, time.Minute, true)
	if at != time.Second {
		t.Fatalf("aborted at %v, want 1s", at)
	}
}

func TestAbortOnFailNeverFiresOnAPassingRun(t *testing.T) {
	cfg := ThresholdConfig{Threshold: "rate<0.1", AbortOnFail: true, DelayAbortEval: 2 * time.Second}
	at, fired, final := abortScenario(t, cfg, time.Hour, 30*time.Second, true)
	if at != 0 || fired != nil || !final[0].Ok || final[0].Value != 0 {
		t.Fatalf("aborted at %v, fired %+v, final %+v", at, fired, final)
	}
}

func TestAbortOnFailWaitsOutNoSamplesButTheEndFails(t *testing.T) {
	cfg := ThresholdConfig{Threshold: "rate<0.1", AbortOnFail: true}
	at, fired, final := abortScenario(t, cfg, 0, 20*time.Second, false)
	if at != 0 || fired != nil {
		t.Fatalf("no samples must not abort mid-run: at %v, fired %+v", at, fired)
	}
	if final[0].Ok || !final[0].NoSamples {
		t.Fatalf("a run without samples must fail at the end: %+v", final[0])
	}
}
