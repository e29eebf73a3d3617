package assertions_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/report"
	"github.com/gameday-dev/gameday/harness/target"
)

// degradingSystem: front calls back once per request and answers 200
// "fallback" when back fails; side depends on nothing.
func degradingSystem() target.System {
	serve := func(h http.HandlerFunc) func(context.Context, net.Listener, target.Env) error {
		return func(ctx context.Context, ln net.Listener, _ target.Env) error {
			srv := &http.Server{Handler: h}
			go func() { <-ctx.Done(); _ = srv.Close() }()
			if err := srv.Serve(ln); err != http.ErrServerClosed {
				return err
			}
			return nil
		}
	}
	ok := func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }
	return target.System{Name: "degrading", Services: []target.Service{
		{Name: "back", Protocol: target.HTTP, Run: serve(ok)},
		{Name: "side", Protocol: target.HTTP, Public: true, Run: serve(ok)},
		{Name: "front", Protocol: target.HTTP, Deps: []string{"back"}, Public: true,
			Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
				url := "http://" + env[target.AddrEnv("back")] + "/"
				client := &http.Client{Timeout: time.Second}
				return serve(func(w http.ResponseWriter, r *http.Request) {
					resp, err := client.Get(url)
					if err == nil {
						defer resp.Body.Close()
					}
					if err != nil || resp.StatusCode != http.StatusOK {
						io.WriteString(w, "fallback")
						return
					}
					_, _ = io.Copy(w, resp.Body)
				})(ctx, ln, env)
			}},
	}}
}

// TestEndToEnd judges a real run of the embedded target: back fails for
// 1.5 s under load, front degrades gracefully, side keeps its SLO, real
// content comes back once the fault is reverted.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a system and loads it for 5 s")
	}
	env := harness.Start(t, degradingSystem(), harness.WithTarget("embedded"))
	front, side := env.URL("front"), env.URL("side")
	lr := env.Load(t, load.Scenarios{
		"shoppers": load.ConstantArrivalRate{Rate: 40, Duration: 5 * time.Second, PreAllocatedVUs: 10,
			Exec: func(ctx context.Context, vu *load.VU) error {
				res, err := vu.HTTP.Get(ctx, front+"/", load.Name("front"))
				if err != nil {
					return err
				}
				vu.Check("fallback shown", string(res.Body) == "fallback")
				vu.Check("content shown", string(res.Body) == "ok")
				_, err = vu.HTTP.Get(ctx, side+"/", load.Name("side"))
				return err
			}},
	}, nil)
	env.Inject(t, "back", fault.HTTP{ErrorRate: 1, ErrorCode: 503}, fault.During(1500*time.Millisecond, 1500*time.Millisecond))
	run := lr.Wait(t)

	assertions.GracefulDegradation(t, run, assertions.Degradation{
		Fault:       "back",
		Page:        metrics.Tags{"name": "front"},
		Fallback:    metrics.Tags{"check": "fallback shown"},
		MinFallback: 0.5, // the window is floored to whole seconds: its first second is partly before the fault
		Unrelated:   []assertions.SLO{assertions.Availability(metrics.Tags{"name": "side"}, 0.99)},
	})
	content := assertions.SLO{Metric: metrics.Checks, Filter: metrics.Tags{"check": "content shown"}, GoodWhenTrue: true, Objective: 0.99}
	assertions.RecoveredWithinWindow(t, run, "back", content, 2*time.Second, time.Second)
	assertions.AmplificationBelow(t, run, "front->back", 1.1)
	assertions.Thresholds(t, run, map[string][]string{"http_req_failed": {"rate<0.01"}},
		assertions.Before("back"), assertions.During("back"), assertions.After("back"))

	// the content SLO was broken for a third of the run: the burn-rate
	// alerts must fire, naming the fault
	var rec recorder
	if assertions.BurnRateBelow(&rec, run, content, assertions.BurnPolicy{}) {
		t.Error("no content for 1.5 s of 5 s must fire a burn-rate alert")
	}
	rec.mustContain(t, "fault.inject back")
	if a, err := assertions.Amplification(run, "front->back"); err == nil {
		t.Logf("front->back amplification %.3f; edges %+v", a, run.Edges)
	}

	// the report reads a real run too (go test -artifacts keeps it)
	var cli report.Recorder
	assertions.AmplificationBelow(&cli, run, "front->back", 0.5)
	scn := cli.Scenario("degrading", run, report.Measure{Name: "fallback", Value: "shown", Expected: "shown"})
	if scn.Passed() || len(scn.Failures) != 1 {
		t.Errorf("recorded scenario %+v", scn)
	}
	if err := report.Write(t.ArtifactDir(), report.Report{Title: "end to end", Scenarios: []report.Scenario{scn}}); err != nil {
		t.Fatal(err)
	}
}
