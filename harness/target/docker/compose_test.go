package docker_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/system"
)

// teamCompose is the team's stack as a compose file: web built from the
// app's Dockerfile, api and cache from local images, addresses written in
// the environment as the team had them.
const teamCompose = `version: "3.8"
services:
  web:
    build: %s
    command: web
    ports: ["8080:8080"]
    environment:
      API_URL: http://api:9000
  api:
    image: %s
    command: ["api"]
    expose: ["9000", "9001"]
    environment:
      REDIS_ADDR: cache:6379
      DATA_DIR: /data
    volumes: ["hits:/data"]
  admin:
    image: %[2]s
    command: ["web"]
    ports: ["8080"]
    environment:
      API_URL: http://api:9001
  audit:
    image: %[2]s
    command: ["audit"]
    expose: ["9100"]
    environment:
      DATA_DIR: /hits
    volumes: ["hits:/hits:ro"]
  cache:
    image: %s
    labels:
      gameday.protocol: tcp
volumes:
  hits: {}
`

// A compose stack runs as a gameday system: services named as in the file,
// each behind a proxy that took over its name, edges counted, faults on
// them, a second port of one (api's admin port, piped by the same
// sidecar, under its partitions), a named volume shared by two of them,
// and nothing left at Stop.
func TestComposeStack(t *testing.T) {
	im := buildTeamImages(t)
	file := filepath.Join(t.TempDir(), "compose.yaml")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf(teamCompose, im.appContext, im.app, im.redis)), 0o644))
	sys := system.Compose("team", file)
	require.NoError(t, sys.Validate())

	r := startTeam(t, sys)
	ctx := context.Background()
	assert.Equal(t, []string{"admin", "api", "audit", "cache", "web"}, r.Services())
	web, err := r.Addr("web")
	require.NoError(t, err)
	for i := 1; i <= 3; i++ {
		code, body := get(t, "http://"+web+"/")
		require.Equal(t, 200, code, body)
		assert.Equal(t, fmt.Sprintf("web>api:%d", i), body)
	}
	audit, err := r.Addr("audit")
	require.NoError(t, err)
	code, body := get(t, "http://"+audit+"/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "hits:3", body, "audit reads what api wrote in the volume they share")
	admin, err := r.Addr("admin")
	require.NoError(t, err)
	code, body = get(t, "http://"+admin+"/")
	assert.Equal(t, 200, code, body)
	assert.Equal(t, "web>api-admin", body, "admin reaches api's second port at its name")
	require.NoError(t, r.Partition(ctx, "admin", "api"))
	code, body = get(t, "http://"+admin+"/")
	assert.Equal(t, 502, code, "partitioned from api, its second port too: %s", body)
	require.NoError(t, r.Heal(ctx, "admin", "api"))
	code, _ = get(t, "http://"+admin+"/")
	assert.Equal(t, 200, code, "healed")
	got := edgeCounts(t, r)
	assert.Equal(t, uint64(3), got["web->api"], "edges %v", got)
	assert.Equal(t, uint64(3), got["api->cache"], "edges %v", got)

	p, err := r.Proxy("api")
	require.NoError(t, err)
	require.NoError(t, p.SetHTTPFault(ctx, &proxy.HTTPFault{AverageDelay: 300 * time.Millisecond}, time.Minute))
	began := time.Now()
	code, _ = get(t, "http://"+web+"/")
	assert.Equal(t, 200, code)
	assert.GreaterOrEqual(t, time.Since(began), 300*time.Millisecond, "web waited for the delayed api")

	require.NoError(t, r.Stop(ctx))
	c, n := leftovers(t, r.RunID())
	assert.Zero(t, c)
	assert.Zero(t, n)
	assert.Zero(t, leftoverVolumes(t, r.RunID()), "the run's named volume is removed with it")
}
