package browser

import (
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
)

func TestExecDrivesJourneysFromALoadScenario(t *testing.T) {
	shop := NewTestShop(t)
	res, err := load.RunLoad(t.Context(), load.Options{
		Scenarios: load.Scenarios{"shoppers": load.SharedIterations{VUs: 2, Iterations: 4,
			MaxDuration: time.Minute, Exec: shared.Exec(ShopJourney(shop.URL))}},
		Thresholds: map[string][]string{
			"browser_web_vital_lcp{page:/}":    {"p(75)<60000"},
			"browser_http_req_failed":          {"rate==0"},
			"browser_errors":                   {"count==0"},
			"browser_step_duration{step:cart}": {"max<60000"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range res.Thresholds {
		if !th.Ok {
			t.Errorf("threshold %s %s failed (value %v)", th.Metric, th.Source, th.Value)
		}
	}
	if n := len(shop.Orders()); n != 4 {
		t.Errorf("orders = %d, want 4", n)
	}
	reg := res.Registry
	if a := reg.Metric(metrics.Iterations).Aggregate(nil); a.Sum != 4 {
		t.Errorf("iterations = %v", a.Sum)
	}
	if a := reg.Metric(metrics.BrowserStepDuration).Aggregate(metrics.Tags{"scenario": "shoppers", "step": StepCheckout}); a.Count != 4 {
		t.Errorf("checkout step samples tagged with the scenario = %d, want 4", a.Count)
	}
	if a := sharedReg.Metric(metrics.BrowserStepDuration).Aggregate(metrics.Tags{"scenario": "shoppers"}); a.Count != 0 {
		t.Errorf("samples leaked into the pool's registry: %d", a.Count)
	}
}
