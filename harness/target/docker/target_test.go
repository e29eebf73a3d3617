package docker_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	assert.Equal(t, 4, c, "two services, two sidecars")
	assert.Equal(t, 1, n)

	require.NoError(t, run.Stop(ctx))
	require.NoError(t, run.Stop(ctx), "Stop is safe twice")
	c, n = leftovers(t, run.RunID())
	assert.Zero(t, c)
	assert.Zero(t, n)
}
