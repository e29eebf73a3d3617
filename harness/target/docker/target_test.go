package docker_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target/docker"
)

func TestStartServesThroughSidecarsAndStopLeavesNothing(t *testing.T) {
	r := docker.New()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := startTB(t)
	_ = r
	assert.Equal(t, "docker", run.Kind())
	assert.Equal(t, []string{"web", "api"}, run.Services())

	web, err := run.Addr("web")
	require.NoError(t, err)
	host, _, err := net.SplitHostPort(web)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host, "published only on loopback")
	code, body := get(t, "http://"+web+"/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "web>api", body, "web reached api through api's sidecar")

	c, n := leftovers(t, run.RunID())
	assert.Equal(t, 5, c, "two services, two sidecars, the reaper")
	assert.Equal(t, 1, n)

	require.NoError(t, run.Stop(ctx))
	require.NoError(t, run.Stop(ctx), "Stop is safe twice")
	c, n = leftovers(t, run.RunID())
	assert.Zero(t, c)
	assert.Zero(t, n)
}

func TestCallersAreNamedAtTheSidecar(t *testing.T) {
	ctx := context.Background()
	run := startTB(t)
	web, err := run.Addr("web")
	require.NoError(t, err)
	for range 3 {
		code, _ := get(t, "http://"+web+"/")
		require.Equal(t, 200, code)
	}
	edges, err := run.Edges(ctx)
	require.NoError(t, err)
	got := map[string]uint64{}
	for _, e := range edges {
		got[e.Caller+"->"+e.Callee] += e.Requests
	}
	assert.Equal(t, uint64(3), got["web->api"], "edges: %+v", edges)
	assert.GreaterOrEqual(t, got["client->web"], uint64(3), "edges: %+v", edges)
}

// The sidecar forwards to its service over the namespace they share; faults
// set through its control API reach every caller, TCP ones included.
func TestSidecarFaultsReachCallers(t *testing.T) {
	ctx := context.Background()
	run := startTB(t)
	web, _ := run.Addr("web")
	px, err := run.Proxy("api")
	require.NoError(t, err)
	require.NoError(t, px.SetHTTPFault(ctx, &proxy.HTTPFault{ErrorRate: 1, ErrorCode: 503}, time.Minute))
	code, _ := get(t, "http://"+web+"/")
	assert.Equal(t, 503, code, "web relays api's injected error")
	require.NoError(t, px.SetHTTPFault(ctx, nil, time.Minute))

	const latency = 300 * time.Millisecond
	require.NoError(t, run.AddToxic(ctx, "api", kind.Latency{Latency: latency}, time.Minute))
	began := time.Now()
	code, body := get(t, "http://"+web+"/")
	assert.Equal(t, 200, code, body)
	assert.GreaterOrEqual(t, time.Since(began), latency, "api's answer is delayed")
	require.NoError(t, run.RemoveToxics(ctx, "api"))
	code, body = get(t, "http://"+web+"/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "web>api", body)
}

func TestPartitionCutsOnlyThatEdge(t *testing.T) {
	ctx := context.Background()
	run := startTB(t)
	web, _ := run.Addr("web")
	api, _ := run.Addr("api")
	require.NoError(t, run.Partition(ctx, "web", "api"))
	code, _ := get(t, "http://"+web+"/")
	assert.Equal(t, 502, code, "web cannot reach api")
	code, body := get(t, "http://"+api+"/")
	assert.Equal(t, 200, code, "the harness still reaches api")
	assert.Equal(t, "api", body)
	require.NoError(t, run.Heal(ctx, "web", "api"))
	code, body = get(t, "http://"+web+"/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "web>api", body)
}
