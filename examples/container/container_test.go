// Package container_test is a team's own containers under gameday: the
// shop's orders and inventory built from this folder's Dockerfile, and
// Redis through testcontainers-go's redis module. Every port is hard-coded;
// orders finds the others at "inventory:9000" and "cache:6379" as it would
// in production, and reaches them through gameday's proxies.
package container_test

import (
	"context"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/redis"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
)

func TestOrdersSurviveSlowInventory(t *testing.T) {
	shop := testcontainers.FromDockerfile{Context: shopContext(t)} // ./Dockerfile + the static binary
	sys := system.New("shop",
		system.Module("cache", redis.Run, redisImage(t), system.Port(6379), system.Protocol(target.TCP)),
		system.Container("inventory", testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{
			FromDockerfile: shop, Cmd: []string{"inventory"}, ExposedPorts: []string{"9000/tcp"},
			WaitingFor: wait.ForHTTP("/healthz").WithPort("9000/tcp")}}),
		system.Container("orders", testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{
			FromDockerfile: shop, Cmd: []string{"orders"}, ExposedPorts: []string{"8080/tcp"},
			Env: map[string]string{"INVENTORY_URL": "http://inventory:9000", "REDIS_ADDR": "cache:6379",
				"INVENTORY_TIMEOUT": "300ms", "FALLBACK": "on"}, // the fix: a short timeout and a fallback
			WaitingFor: wait.ForHTTP("/healthz").WithPort("8080/tcp")}}, system.Public()),
	)
	env := harness.Start(t, sys, harness.WithTarget("docker"))
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
