package assertions_test

import (
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// The SRE workbook ("Alerting on SLOs") works its burn rates for a 99.9%
// SLO over 30 days: 2% of the budget spent in 1 hour is a burn rate of 14.4,
// 5% in 6 hours is 6, 10% in 3 days is 1. Each case runs 60 s at a constant
// error rate of factor × 0.1% and makes the run stand for the alert's long
// window, so the budget it consumes must be the workbook's share.
func TestBurnRateWorkbookExamples(t *testing.T) {
	cases := []struct {
		name     string
		perSec   int // requests per second
		bad      int // failed per second: perSec·bad/perSec = factor × 0.1%
		alert    assertions.BurnAlert
		wantRate float64
		wantBudg float64
	}{
		{"14.4x for 1h spends 2%", 1250, 18, assertions.BurnAlert{Severity: "page", Factor: 14.4, Long: time.Hour, Short: 5 * time.Minute}, 14.4, 0.02},
		{"6x for 6h spends 5%", 1000, 6, assertions.BurnAlert{Severity: "page", Factor: 6, Long: 6 * time.Hour, Short: 30 * time.Minute}, 6, 0.05},
		{"1x for 3d spends 10%", 1000, 1, assertions.BurnAlert{Severity: "ticket", Factor: 1, Long: 72 * time.Hour, Short: 6 * time.Hour}, 1, 0.10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := newBuilder(t, 60*time.Second)
				b.failures(metrics.Tags{"name": "home"}, 0, sec(60), c.perSec, func(int) int { return c.bad })
				run := b.build()
				slo := assertions.Availability(metrics.Tags{"name": "home"}, 0.999)
				// default scale: the alert's long window spans the 60 s run
				got, err := assertions.BurnRate(run, slo, assertions.BurnPolicy{Alerts: []assertions.BurnAlert{c.alert}})
				if err != nil {
					t.Fatal(err)
				}
				if want := c.alert.Long.Seconds() / 60; got.Policy.Scale != want {
					t.Errorf("scale %v, want %v", got.Policy.Scale, want)
				}
				if !near(got.Rate, c.wantRate) || !near(got.BudgetConsumed, c.wantBudg) {
					t.Errorf("burn rate %v spending %v of the budget, want %v spending %v", got.Rate, got.BudgetConsumed, c.wantRate, c.wantBudg)
				}
				a := got.Alerts[0]
				if !a.Fired || a.At != run.End || a.LongWindow != time.Minute {
					t.Errorf("alert at exactly its factor must fire at the end of its 60s long window: %+v", a)
				}
				if wantShort := time.Duration(math.Round(60*c.alert.Short.Seconds()/c.alert.Long.Seconds())) * time.Second; a.ShortWindow != wantShort {
					t.Errorf("short window %s, want %s", a.ShortWindow, wantShort)
				}
			})
		})
	}
}

// The default policy (the workbook's two paging alerts) over a 60 s run
// that burns at 6×: the 6× alert fires, the 14.4× one does not, and the
// failure names both windows and the fault active then.
func TestBurnRateBelow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.failures(nil, 0, sec(60), 1000, func(int) int { return 6 })
		b.fault("payment", "grpc: Unavailable 0.6%", 0, sec(60))
		run := b.build()
		slo := assertions.Availability(nil, 0.999)

		burn, err := assertions.BurnRate(run, slo, assertions.BurnPolicy{})
		if err != nil {
			t.Fatal(err)
		}
		if burn.Policy.Scale != 360 {
			t.Errorf("default scale %v, want 360 (6h over 60s)", burn.Policy.Scale)
		}
		if burn.Alerts[0].Fired || !burn.Alerts[1].Fired {
			t.Errorf("want only the 6x alert to fire: %+v", burn.Alerts)
		}
		// 1h/360 = 10 s long, 5 min/360 ≈ 0.83 s → 1 s short
		if burn.Alerts[0].LongWindow != 10*time.Second || burn.Alerts[0].ShortWindow != time.Second {
			t.Errorf("14.4x windows %s/%s, want 10s/1s", burn.Alerts[0].LongWindow, burn.Alerts[0].ShortWindow)
		}
		var r recorder
		if assertions.BurnRateBelow(&r, run, slo, assertions.BurnPolicy{}) {
			t.Fatal("a 6x burn must fire the 6x alert")
		}
		r.mustContain(t, "slo 99.9% of http_req_failed false: page alert fired at 60.0s: burn rate 6 over 1m0s (≙ 6h0m0s) and 6 over 5s (≙ 30m0s), limit 6×",
			"(5% of the 720h0m0s budget, run ≙ 6h0m0s)", "fault.inject payment grpc: Unavailable 0.6%")

		var ok recorder
		healthy := assertions.Availability(nil, 0.99) // budget 1%: 0.6% errors burn at 0.6×
		if !assertions.BurnRateBelow(&ok, run, healthy, assertions.BurnPolicy{}) {
			t.Errorf("0.6x must not fire: %s", ok.text())
		}
	})
}

// A burst fires the fast alert when both windows are hot, and the failure
// says when; the budget assertion sees the spend.
func TestBurnRateBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 120*time.Second)
		b.failures(nil, 0, sec(120), 100, func(s int) int {
			if s >= 50 && s < 70 {
				return 100
			}
			return 0
		})
		b.fault("cart", "tcp: reset", sec(50), sec(70))
		run := b.build()
		slo := assertions.Availability(nil, 0.999)
		policy := assertions.BurnPolicy{Scale: 60, Alerts: assertions.WorkbookAlerts[:1]} // 1h → 60 s, 5 min → 5 s
		burn, err := assertions.BurnRate(run, slo, policy)
		if err != nil {
			t.Fatal(err)
		}
		a := burn.Alerts[0]
		// at 60 s: long [0,60) has 10 s of 100% errors (1/6), short [55,60) is all errors
		if !a.Fired || a.At.Sub(run.Start) != 60*time.Second || !near(a.LongBurn, 1000.0/6) || !near(a.ShortBurn, 1000) {
			t.Errorf("burst alert %+v", a)
		}
		// 2000 of 12000 failed: burn 166.7 for 2 min standing for 2 h → 166.7·2/720
		if !near(burn.BudgetConsumed, (1000.0/6)*2/720) {
			t.Errorf("budget consumed %v", burn.BudgetConsumed)
		}
		var r recorder
		if assertions.BudgetBelow(&r, run, slo, 0.10, policy) {
			t.Fatal("46% of the budget is above 10%")
		}
		r.mustContain(t, "run spent 46.3% of the 720h0m0s error budget", "2000 bad of 12000", "limit 10%")
		var ok recorder
		if !assertions.BudgetBelow(&ok, run, slo, 0.5, policy) {
			t.Errorf("46%% is below 50%%: %s", ok.text())
		}
	})
}

func TestBurnRateLatencySLO(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		// 2% of the requests over 300 ms: a 99% latency SLO burns at 2×
		b.series(metrics.HTTPReqDuration, nil, 0, sec(60), 100, func(_, i int) float64 {
			if i < 2 {
				return 1200
			}
			return 80 + float64(i)
		})
		run := b.build()
		burn, err := assertions.BurnRate(run, assertions.Latency(nil, 300*time.Millisecond, 0.99), assertions.BurnPolicy{})
		if err != nil {
			t.Fatal(err)
		}
		if burn.Total != 6000 || burn.Good != 5880 || !near(burn.Rate, 2) {
			t.Errorf("latency slo: %d good of %d, burn %v; want 5880/6000, 2", burn.Good, burn.Total, burn.Rate)
		}
	})
}

func TestBurnPolicyValidate(t *testing.T) {
	bad := assertions.BurnPolicy{Scale: -1, Alerts: []assertions.BurnAlert{{Factor: 2, Long: time.Minute, Short: time.Hour}}}
	if err := bad.Validate(); err == nil {
		t.Fatal("negative scale and short > long must be refused")
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
