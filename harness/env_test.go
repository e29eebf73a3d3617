package harness_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
)

const testFlags = `{"flags":{"slow":{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"off"}}}`

// twoTier is a tiny system: front calls back once per request.
func twoTier() target.System {
	serve := func(h http.Handler) func(context.Context, net.Listener, target.Env) error {
		return func(ctx context.Context, ln net.Listener, _ target.Env) error {
			srv := &http.Server{Handler: h}
			go func() { <-ctx.Done(); _ = srv.Close() }()
			if err := srv.Serve(ln); err != http.ErrServerClosed {
				return err
			}
			return nil
		}
	}
	back := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	return target.System{Name: "two-tier", Services: []target.Service{
		{Name: "back", Protocol: target.HTTP, Run: serve(back)},
		{Name: "front", Protocol: target.HTTP, Deps: []string{"back"}, Public: true,
			Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
				url := "http://" + env[target.AddrEnv("back")] + "/"
				return serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					resp, err := http.Get(url)
					if err != nil {
						http.Error(w, err.Error(), http.StatusBadGateway)
						return
					}
					defer resp.Body.Close()
					w.WriteHeader(resp.StatusCode)
					_, _ = io.Copy(w, resp.Body)
				}))(ctx, ln, env)
			}},
		{Name: harness.FlagService, Protocol: target.HTTP, Env: target.Env{harness.FlagTokenEnv: "t0k"},
			Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
				srv, err := flags.NewServer(flags.ServerConfig{Data: []byte(testFlags), AdminToken: env[harness.FlagTokenEnv]})
				if err != nil {
					return err
				}
				defer srv.Close()
				return srv.Serve(ctx, ln)
			}},
	}}
}

func TestEnvLoadFaultFlagAndEdges(t *testing.T) {
	env := harness.Start(t, twoTier(), harness.WithTarget("embedded"))
	front := env.URL("front")
	if !strings.HasPrefix(front, "http://127.0.0.1:") {
		t.Fatalf("front URL = %q", front)
	}
	env.SetFlag(t, "slow", "on")

	run := env.Load(t, load.Scenarios{
		"users": load.ConstantArrivalRate{Rate: 100, Duration: 3 * time.Second, PreAllocatedVUs: 20,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, front+"/", load.Name("front"))
				return err
			}},
	}, harness.Thresholds{"http_req_failed{name:front}": {"rate<0.01"}})
	env.Inject(t, "back", fault.HTTP{ErrorRate: 1, ErrorCode: 503}, fault.During(time.Second, time.Second))
	res := run.Wait(t)

	failed := res.Metrics.Metric(metrics.HTTPReqFailed).Aggregate(metrics.Tags{"name": "front"})
	if failed.Count < 250 || failed.Rate() < 0.2 || failed.Rate() > 0.45 {
		t.Errorf("http_req_failed over %d requests = %.3f, want ≈ 1/3 (1 s of errors in 3 s)", failed.Count, failed.Rate())
	}
	if len(res.Thresholds) != 1 || res.Thresholds[0].Ok {
		t.Errorf("threshold results = %+v, want one failing", res.Thresholds)
	}
	var calls uint64
	for _, e := range res.Edges {
		if e.Caller == "front" && e.Callee == "back" {
			calls = e.Requests
		}
	}
	if calls < failed.Count*9/10 || calls > failed.Count*11/10 {
		t.Errorf("front->back calls = %d for %d front requests, want ≈ 1 per request", calls, failed.Count)
	}
	var kinds []string
	for _, w := range res.Timeline.Windows() {
		kinds = append(kinds, w.Kind+":"+w.Target)
	}
	joined := strings.Join(kinds, " ")
	if !strings.Contains(joined, timeline.FaultInject+":back") || !strings.Contains(joined, timeline.FlagSet+":slow") {
		t.Errorf("timeline windows = %v, want the fault and the flag", kinds)
	}
}
