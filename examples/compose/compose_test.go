// Package compose_test is a team's compose stack under gameday: the file
// runs as it is, each service behind a proxy that took over its name.
package compose_test

import (
	"context"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/system"
)

func TestComposeOrdersSurviveSlowInventory(t *testing.T) {
	t.Setenv("SHOP_CONTEXT", shopContext(t))
	t.Setenv("REDIS_IMAGE", redisImage(t))
	env := harness.Start(t, system.Compose("shop", "compose.yaml"), harness.WithTarget("docker"))
	run := env.Load(t, load.Scenarios{"buyers": load.ConstantArrivalRate{Rate: 10, TimeUnit: time.Second,
		Duration: 10 * time.Second, PreAllocatedVUs: 20, Exec: func(ctx context.Context, vu *load.VU) error {
			_, err := vu.HTTP.Get(ctx, env.URL("orders")+"/order", load.Name("order"))
			return err
		}}}, harness.Thresholds{"http_req_failed": {"rate<0.01"}, "http_req_duration": {"p(95)<1000"}})
	env.Inject(t, "inventory", fault.HTTP{AverageDelay: 2 * time.Second}, fault.During(2*time.Second, 6*time.Second))
	res := run.Wait(t)
	assertions.Thresholds(t, res, nil)
	assertions.AmplificationBelow(t, res, "orders->cache", 1.01) // one INCR per order, even while inventory is slow
}
