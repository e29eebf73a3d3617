package scenarios

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/browser"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Seed 000: the load generator's browser died ("Target page, context or
// browser has been closed") and its script's `except: pass` hid it: the
// load test looked healthy while no shopper got through. gameday counts a
// dead browser as browser_errors{cause} whatever the script does, fails
// the journey, and replaces the browser.
const (
	browserKillAt        = 4 * time.Second
	browserRecoverWithin = 8 * time.Second // a journey mid-step when the browser died may take this long to fail
)

func browserErrorsSurfaced() Scenario {
	return Scenario{
		Name:     "browser-errors-surfaced",
		Incident: "seed 000: the browser died mid-journey and `except: pass` hid it",
		Load:     "headless-Chromium shoppers walking home → product → cart → currency",
		Fault:    fmt.Sprintf("the Chromium process is killed (SIGKILL) %v into the run", browserKillAt),
		SLO:      "no silent browser failure: every browser error shows as a failed journey, and journeys recover after the crash",
		Fix:      "the script lets errors through (the harness fails the journey with its cause and a new browser takes over) instead of `except: pass`",
		Weight:   2, // a Chromium
		Play: func(t harness.T, c Config) *Outcome {
			env := startDemo(t, c)
			reg := metrics.NewRegistry(time.Now())
			pool := browserPool(t, env, c, reg, 2)
			journey := pool.Exec(browser.CartCurrencyJourney(env.URL("frontend")))
			exec := journey
			if c.Half == Unfixed {
				exec = func(ctx context.Context, vu *load.VU) error {
					_ = journey(ctx, vu) // the seed's `except: pass`
					return nil
				}
			}
			d := pick(c, 16*time.Second, 30*time.Second) // ≥ browserKillAt+browserRecoverWithin, then journeys again
			run := env.Load(t, load.Scenarios{"shoppers": load.ConstantVUs{VUs: 2, Duration: d, Exec: exec}}, nil,
				loadOpts(c, harness.WithRegistry(reg))...)
			killed := make(chan int, 1)
			timer := time.AfterFunc(browserKillAt, func() {
				// Kill while journeys are on their pages, as in the seed: a
				// browser that dies between journeys breaks nobody's step.
				// Both shoppers mid-journey, if that comes within 3 s (one
				// about to release its context may still finish), else one.
				inJourney := func(n int) bool { st := pool.Stats(); return st.Live-st.Idle >= n }
				for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && !inJourney(2); {
					time.Sleep(10 * time.Millisecond)
				}
				for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && !inJourney(1); {
					time.Sleep(10 * time.Millisecond)
				}
				pid := pool.PID()
				if pid > 0 && syscall.Kill(pid, syscall.SIGKILL) == nil {
					env.Timeline.Add(timeline.TargetKill, "chromium", fmt.Sprintf("SIGKILL pid %d", pid), nil)
				}
				killed <- pid
			})
			t.Cleanup(func() { timer.Stop() })
			res := run.Wait(t)
			o := &Outcome{Run: res, Extra: map[string]float64{"browsers": float64(pool.Stats().Browsers)}}
			// Each shopper walked at least one journey (finished or failed).
			o.Floors = append(o.Floors, Floor{Metric: metrics.IterationDuration, Min: 2, What: "journeys"})
			select {
			case pid := <-killed:
				o.Extra["killed"] = float64(pid)
			default:
			}
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			errs := o.Run.Metrics.Metric(metrics.BrowserErrors)
			total := errs.Aggregate(nil).Sum
			causes := map[string]float64{}
			for _, s := range errs.AllSeries() {
				causes[s.Tags["cause"]] += s.Snapshot().Sum
			}
			failed := o.Run.Metrics.Metric(load.InterruptedIterations).Aggregate(metrics.Tags{"cause": "error"}).Sum
			o.Measure("browser killed", yesNo(o.Extra["killed"] > 0), "yes", o.Extra["killed"] > 0)
			o.Measure("browser errors counted by the harness", fmt.Sprintf("%.0f %v", total, causes), "≥ 1, with a cause", total >= 1)
			o.Measure("browsers started", fmt.Sprintf("%.0f", o.Extra["browsers"]), "≥ 2 (the dead one replaced)", o.Extra["browsers"] >= 2)
			o.Measure("journeys the script reported failed", fmt.Sprintf("%.0f", failed), "", true)
			if failed < total {
				t.Errorf("silent browser failure: the harness counted %.0f browser error(s) %v but the script reported %.0f failed journey(s)", total, causes, failed)
			}
			// After the crash and its replacement, journeys must get through again.
			it := o.Run.Metrics.Metric(metrics.Iterations)
			ok := it.Window(nil, o.Run.Start.Add(browserKillAt+browserRecoverWithin), o.Run.End.Add(time.Second)).Sum
			bad := o.Run.Metrics.Metric(load.InterruptedIterations).Window(metrics.Tags{"cause": "error"},
				o.Run.Start.Add(browserKillAt+browserRecoverWithin), o.Run.End.Add(time.Second)).Sum
			o.Measure("journeys after the replacement", fmt.Sprintf("%.0f, %.0f failed", ok, bad), "", true)
			if ok == 0 || bad > 0 {
				t.Errorf("journeys did not recover after the browser was replaced: %.0f finished, %.0f failed", ok, bad)
			}
		},
	}
}
