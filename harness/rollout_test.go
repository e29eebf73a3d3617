package harness_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/target"
)

const guardFlags = `{"flags":{"bad":{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"off"}}}`

// flagged is a small system whose back service fails every request for
// which the flag "bad" evaluates to on — with a random targeting key per
// request, so a fractional rollout fails that share of them. front calls
// back once per request.
func flagged() target.System {
	serve := func(ctx context.Context, ln net.Listener, h http.Handler) error {
		srv := &http.Server{Handler: h}
		go func() { <-ctx.Done(); _ = srv.Close() }()
		if err := srv.Serve(ln); err != http.ErrServerClosed {
			return err
		}
		return nil
	}
	sys := twoTier()
	sys.Name = "flagged"
	for i, s := range sys.Services {
		switch s.Name {
		case "back":
			s.Deps = []string{harness.FlagService}
			s.Run = func(ctx context.Context, ln net.Listener, env target.Env) error {
				eval := "http://" + env[target.AddrEnv(harness.FlagService)] + "/ofrep/v1/evaluate/flags/bad"
				return serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if flagOn(r.Context(), eval) {
						http.Error(w, "flag bad is on", http.StatusInternalServerError)
						return
					}
					io.WriteString(w, "ok")
				}))
			}
		case harness.FlagService:
			s.Run = func(ctx context.Context, ln net.Listener, env target.Env) error {
				srv, err := flags.NewServer(flags.ServerConfig{Data: []byte(guardFlags), AdminToken: env[harness.FlagTokenEnv]})
				if err != nil {
					return err
				}
				defer srv.Close()
				return srv.Serve(ctx, ln)
			}
		}
		sys.Services[i] = s
	}
	return sys
}

func flagOn(ctx context.Context, url string) bool {
	body := fmt.Sprintf(`{"context":{"targetingKey":"%x"}}`, rand.Uint64())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var out struct{ Value any }
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.Value == true
}

// traffic sends rate GETs a second to url with a plain http.Client — not
// gameday's load engine, so edge-fed guards see "any client" — for d. wait
// returns the answers below 500, the 5xx answers, and the requests that got
// no answer in time (a slow machine's timeouts, counted apart).
func traffic(t *testing.T, url string, rate int, d time.Duration) (wait func() (ok, failed int)) {
	t.Helper()
	var mu sync.Mutex
	var ok, failed, lost int
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer tick.Stop()
		for now := range tick.C {
			if now.After(stop) {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				resp, err := http.DefaultClient.Do(req)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					lost++
					return
				case resp.StatusCode >= 500:
					failed++
				default:
					ok++
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}()
		}
	}()
	t.Cleanup(wg.Wait)
	return func() (int, int) {
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		if lost > 0 {
			t.Logf("traffic: %d requests got no answer within 2s (a busy machine)", lost)
		}
		return ok, failed
	}
}

// shareOn evaluates flag bad for n random targeting keys.
func shareOn(t *testing.T, env *harness.Env, n int) float64 {
	t.Helper()
	url := env.URL(harness.FlagService) + "/ofrep/v1/evaluate/flags/bad"
	on := 0
	for range n {
		if flagOn(t.Context(), url) {
			on++
		}
	}
	return float64(on) / float64(n)
}

// A stepped rollout without a guard gives the variant to 10%, 50%, then
// all of the evaluations, each for its dwell, and ends with the variant as
// the flag's default; the test's cleanup puts the flag back.
func TestRolloutSteps(t *testing.T) {
	env := harness.Start(t, flagged(), harness.WithTarget("embedded"))
	want := []float64{0.1, 0.5, 1}
	var got []float64
	// Progress is called once a step is in force, before its dwell: the
	// share is sampled while that step holds, however slow the machine.
	rr := env.Rollout(t, harness.Rollout{Flag: "bad", Variant: "on", Steps: want, Dwell: 200 * time.Millisecond,
		Progress: func(line string) {
			if strings.HasPrefix(line, "step ") {
				// 1,000 keys: at 50% one standard deviation is 0.016, so
				// the ±0.07 below is 4.4 of them (with 400 it was 2.8, and
				// 1 run in 100 failed by chance alone).
				got = append(got, shareOn(t, env, 1000))
			}
		}})
	res := rr.Wait(t)
	for i := range want {
		if i >= len(got) {
			t.Fatalf("%d steps sampled, want %d", len(got), len(want))
		}
		if d := got[i] - want[i]; d < -0.07 || d > 0.07 {
			t.Errorf("step %d: %.3f of evaluations on, want ≈ %.2f", i+1, got[i], want[i])
		}
	}
	if !res.Completed || res.Reverted || len(res.Steps) != 3 || res.Previous != "off" {
		t.Fatalf("result %+v, want 3 completed steps from off", res)
	}
	admin, _ := env.FlagAdmin()
	st, err := admin.Targeting(t.Context(), "bad")
	if err != nil || st.Overridden {
		t.Errorf("after the last step the fractional override must be gone: %+v %v", st, err)
	}
	if got := shareOn(t, env, 50); got != 1 {
		t.Errorf("after the rollout %.2f on, want all", got)
	}
	var steps int
	for _, ev := range env.Timeline.Events() {
		if ev.Kind == harness.KindRolloutStep {
			steps++
		}
	}
	if steps != 3 {
		t.Errorf("%d rollout.step events on the timeline, want 3", steps)
	}
	if err := (harness.Rollout{Flag: "bad", Variant: "on", Steps: []float64{0.5, 0.1}}).Validate(); err == nil {
		t.Error("decreasing steps accepted")
	}
	if _, err := env.StartRollout(t.Context(), harness.Rollout{Flag: "bad", Variant: "maybe"}); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("unknown variant: %v", err)
	}
}

// A guarded rollout whose first step already burns the budget of an
// objective fed by the proxies' counters (traffic from a plain client)
// reverts itself at that step, and the flag is as it was.
func TestRolloutRevertsOnBreach(t *testing.T) {
	env := harness.Start(t, flagged(), harness.WithTarget("embedded"))
	wait := traffic(t, env.URL("front")+"/", 100, 12*time.Second)
	time.Sleep(time.Second) // a healthy baseline first
	guard := harness.Guard{Objectives: []slo.Objective{{
		Source: env.EdgeSource(slo.EdgeSelector{Caller: "client", Callee: "front"}),
		Target: 0.99,
	}}}
	rr := env.Rollout(t, harness.Rollout{Flag: "bad", Variant: "on", Steps: []float64{0.25, 0.5, 1}, Dwell: 3 * time.Second, Guard: guard})
	res := rr.Wait(t)
	t.Logf("%s", res)
	if !res.Reverted || res.Completed || res.Step != 0 || res.Share != 0.25 {
		t.Fatalf("result %+v, want a revert at the first step (25%%)", res)
	}
	if d := res.DetectToRevert(); d <= 0 || d > 5*time.Second {
		t.Errorf("detect to revert %s", d)
	}
	if res.BudgetBurned() <= 0 || len(res.Guard.Changes) == 0 {
		t.Errorf("no budget burned or no state change reported: %+v", res.Guard)
	}
	if got := shareOn(t, env, 100); got != 0 {
		t.Errorf("after the revert %.2f of evaluations on, want none", got)
	}
	ok, failed := wait()
	if failed == 0 || failed > ok/4 {
		t.Errorf("%d failed of %d: the bad step should have failed some, the revert stopped it", failed, ok+failed)
	}
	var revert bool
	// Windows are what a run's summary.json lists.
	for _, w := range env.Timeline.Windows() {
		if w.Kind == harness.KindRolloutRevert && w.Attrs["step"] == "1" && w.Attrs["budget_burned"] != "" {
			revert = true
		}
	}
	if !revert {
		t.Errorf("no rollout.revert window with its step and budget on the timeline: %v", env.Timeline.Windows())
	}
}
