package process_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
)

// Unfixed: the prices service waits on Redis as long as its client's 3 s
// default allows, and a failed Redis call fails the request.
func TestUnfixedShopBreaksItsSLOWhenRedisIsSlow(t *testing.T) {
	t.Parallel()
	run := productsUnderSlowRedis(t)
	if assertions.Thresholds(new(assert.CollectT), run, nil) {
		t.Error("the unfixed shop kept its SLO while Redis was slow: this test has no teeth")
	}
}

// Fixed: a 50 ms Redis timeout, no retries, and the last price read as fallback.
func TestFixedShopHoldsItsSLOWhenRedisIsSlow(t *testing.T) {
	t.Parallel()
	run := productsUnderSlowRedis(t, system.Env("REDIS_TIMEOUT", "50ms"),
		system.Env("REDIS_MAX_RETRIES", "-1"), system.Env("PRICE_FALLBACK", "stale"))
	assertions.Thresholds(t, run, nil)
}

// productsUnderSlowRedis starts Redis, prices (with settings) and the
// storefront; sends 40 product requests a second for 8 s; and delays
// Redis's answers by 300 ms from the 2nd second to the 7th.
// SLO: p95 under 200 ms, under 1% errors.
func productsUnderSlowRedis(t *testing.T, settings ...system.Option) *harness.Run {
	env := harness.Start(t, system.New("shop",
		system.Process("redis", "redis-server", system.Protocol(target.TCP),
			system.Args("--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")),
		system.Process("prices", shop, append(settings, system.Args("serve", "prices"), system.ListenEnv("LISTEN_ADDR"),
			system.Health("/healthz"), system.Calls("redis", "REDIS_ADDR", "{addr}"))...),
		system.Process("storefront", shop, system.Args("serve", "storefront"), system.ListenEnv("LISTEN_ADDR"),
			system.Health("/healthz"), system.Calls("prices", "PRICES_URL", "http://{addr}"), system.Public()),
	))
	front := env.URL("storefront")
	run := env.Load(t, load.Scenarios{"shoppers": load.ConstantArrivalRate{Rate: 40, Duration: 8 * time.Second,
		PreAllocatedVUs: 40, Exec: func(ctx context.Context, vu *load.VU) error {
			_, err := vu.HTTP.Get(ctx, fmt.Sprintf("%s/product/sku-%d", front, rand.IntN(5)), load.Name("product"))
			return err
		}}}, harness.Thresholds{"http_req_duration{name:product}": {"p(95)<200"}, "http_req_failed{name:product}": {"rate<0.01"}})
	env.Inject(t, "redis", fault.Latency{Latency: 300 * time.Millisecond}, fault.During(2*time.Second, 5*time.Second))
	return run.Wait(t)
}
