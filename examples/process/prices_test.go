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

// Unfixed: Redis calls wait as long as the client's 3 s default allows,
// and a failed one fails the request.
func TestUnfixedPricesBreakTheirSLOWhenRedisIsSlow(t *testing.T) {
	t.Parallel()
	run := pricesUnderSlowRedis(t)
	if assertions.Thresholds(new(assert.CollectT), run, nil) {
		t.Error("the unfixed app kept its SLO while Redis was slow: this test has no teeth")
	}
}

// Fixed: a 50 ms Redis timeout, no retries, and the last price read as fallback.
func TestFixedPricesHoldTheirSLOWhenRedisIsSlow(t *testing.T) {
	t.Parallel()
	run := pricesUnderSlowRedis(t, system.Env("REDIS_TIMEOUT", "50ms"),
		system.Env("REDIS_MAX_RETRIES", "-1"), system.Env("PRICE_FALLBACK", "stale"))
	assertions.Thresholds(t, run, nil)
}

// pricesUnderSlowRedis starts Redis and the app with settings, sends 40
// price requests a second for 8 s, and delays Redis's answers by 300 ms
// from the 2nd second to the 7th. SLO: p95 under 200 ms, under 1% errors.
func pricesUnderSlowRedis(t *testing.T, settings ...system.Option) *harness.Run {
	env := harness.Start(t, system.New("prices",
		system.Process("redis", "redis-server", system.Protocol(target.TCP),
			system.Args("--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")),
		system.Process("prices", pricesBin, append(settings, system.ListenEnv("LISTEN_ADDR"),
			system.Health("/healthz"), system.Calls("redis", "REDIS_ADDR", "{addr}"))...),
	))
	prices := env.URL("prices")
	run := env.Load(t, load.Scenarios{"shoppers": load.ConstantArrivalRate{Rate: 40, Duration: 8 * time.Second,
		PreAllocatedVUs: 40, Exec: func(ctx context.Context, vu *load.VU) error {
			_, err := vu.HTTP.Get(ctx, fmt.Sprintf("%s/price/sku-%d", prices, rand.IntN(5)), load.Name("price"))
			return err
		}}}, harness.Thresholds{"http_req_duration{name:price}": {"p(95)<200"}, "http_req_failed{name:price}": {"rate<0.01"}})
	env.Inject(t, "redis", fault.Latency{Latency: 300 * time.Millisecond}, fault.During(2*time.Second, 5*time.Second))
	return run.Wait(t)
}
