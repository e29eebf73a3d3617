package docker_test

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/redis"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// teamImages are a team's images, made here as none can be pulled: the
// app's (a static Go binary in a FROM scratch image) and Redis's (Debian's
// redis-server with its shared libraries in a FROM scratch image).
type teamImages struct {
	app, redis, appContext string
}

func buildTeamImages(tb testing.TB) teamImages {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var im teamImages
	var err error
	im.app, err = dockertest.AppImage(ctx, tb.TempDir())
	require.NoError(tb, err)
	im.redis, err = dockertest.RedisImage(ctx, tb.TempDir())
	require.NoError(tb, err)
	im.appContext = tb.TempDir()
	require.NoError(tb, dockertest.WriteAppContext(ctx, im.appContext))
	return im
}

// teamSystem is web → api → cache: web built from a Dockerfile (or the
// local image), api from the local image, cache by the Redis module's own
// Run. Every port is hard-coded; web finds api through API_URL (declared,
// so gameday sets it), api finds cache through REDIS_ADDR written in its
// request as the team had it. api logs its hits in the run's volume
// "hits".
func teamSystem(im teamImages, fromDockerfile bool) target.System {
	web := testcontainers.ContainerRequest{Image: im.app, Cmd: []string{"web"}, ExposedPorts: []string{"8080/tcp"},
		WaitingFor: wait.ForHTTP("/healthz").WithPort("8080/tcp")}
	if fromDockerfile {
		web.Image = ""
		web.FromDockerfile = testcontainers.FromDockerfile{Context: im.appContext}
	}
	return system.New("team",
		system.Container("web", testcontainers.GenericContainerRequest{ContainerRequest: web},
			system.Calls("api", "API_URL", "http://{addr}"), system.Public()),
		system.Container("api", testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{
			Image: im.app, Cmd: []string{"api"}, ExposedPorts: []string{"9000/tcp"},
			Env: map[string]string{"REDIS_ADDR": "cache:6379", "DATA_DIR": "/data"}}},
			system.Health("/healthz"), system.Volume("hits", "/data")),
		system.Module("cache", redis.Run, im.redis, system.Port(6379), system.Protocol(target.TCP)),
	)
}

func startTeam(tb testing.TB, sys target.System, opts ...docker.Option) *docker.Running {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r, err := docker.New(opts...).StartSystem(ctx, sys)
	if r != nil {
		tb.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			assert.NoError(tb, r.Stop(ctx))
		})
	}
	require.NoError(tb, err)
	return r
}

func edgeCounts(t *testing.T, r *docker.Running) map[string]uint64 {
	t.Helper()
	edges, err := r.Edges(context.Background())
	require.NoError(t, err)
	got := map[string]uint64{}
	for _, e := range edges {
		got[e.Caller+"->"+e.Callee] += e.Requests
	}
	return got
}

// A team's containers — from a Dockerfile, a local image and a
// testcontainers module's Run — serve through sidecars that took over
// their names, with per-edge counts and faults, and no change to them.
func TestTeamContainersFromDockerfileImageAndModule(t *testing.T) {
	im := buildTeamImages(t)
	r := startTeam(t, teamSystem(im, true))
	ctx := context.Background()
	web, err := r.Addr("web")
	require.NoError(t, err)

	code, body := get(t, "http://"+web+"/")
	require.Equal(t, 200, code, body)
	assert.Equal(t, "web>api:1", body, "web → api → redis, each through its sidecar")

	t.Run("alias takeover", func(t *testing.T) {
		cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
		require.NoError(t, err)
		defer cli.Close()
		ins, err := cli.ContainerInspect(ctx, r.ContainerID("api"), client.ContainerInspectOptions{})
		require.NoError(t, err)
		var aliases []string
		for _, ep := range ins.Container.NetworkSettings.Networks {
			aliases = append(aliases, ep.Aliases...)
		}
		assert.Contains(t, aliases, docker.RealAlias("api"))
		assert.NotContains(t, aliases, "api", "the name belongs to the sidecar")
		for p, bs := range ins.Container.NetworkSettings.Ports {
			for _, b := range bs {
				assert.Equal(t, "127.0.0.1", b.HostIP.String(), "port %s published on loopback only", p)
			}
		}
	})

	t.Run("edges", func(t *testing.T) {
		for range 2 {
			code, body := get(t, "http://"+web+"/")
			require.Equal(t, 200, code, body)
		}
		got := edgeCounts(t, r)
		assert.Equal(t, uint64(3), got["web->api"], "edges %v", got)
		assert.Equal(t, uint64(3), got["api->cache"], "edges %v", got)
		assert.GreaterOrEqual(t, got["client->web"], uint64(3), "edges %v", got)
	})

	t.Run("http fault at api reaches web", func(t *testing.T) {
		p, err := r.Proxy("api")
		require.NoError(t, err)
		require.NoError(t, p.SetHTTPFault(ctx, &proxy.HTTPFault{ErrorRate: 1, ErrorCode: 503, ErrorBody: "injected"}, time.Minute))
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 503, code, body)
		require.NoError(t, p.SetHTTPFault(ctx, nil, time.Minute))
		code, _ = get(t, "http://"+web+"/")
		assert.Equal(t, 200, code)
	})

	t.Run("tcp fault at cache reaches api", func(t *testing.T) {
		require.NoError(t, r.AddToxic(ctx, "cache", kind.Down{}, time.Minute))
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 502, code, body)
		require.NoError(t, r.RemoveToxics(ctx, "cache"))
		code, body = get(t, "http://"+web+"/")
		assert.Equal(t, 200, code, body)
	})

	t.Run("partition api from cache", func(t *testing.T) {
		require.NoError(t, r.Partition(ctx, "api", "cache"))
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 502, code, body)
		require.NoError(t, r.Heal(ctx, "api", "cache"))
		code, body = get(t, "http://"+web+"/")
		assert.Equal(t, 200, code, body)
	})
}

// Every lifecycle fault the demo has works on a team's container: kill and
// start (the sidecars still name it after it comes back), pause, CPU and
// memory limits with the OOM kill detected.
func TestTeamContainerLifecycleFaults(t *testing.T) {
	im := buildTeamImages(t)
	r := startTeam(t, teamSystem(im, false))
	ctx := context.Background()
	web, err := r.Addr("web")
	require.NoError(t, err)
	code, body := get(t, "http://"+web+"/")
	require.Equal(t, 200, code, body)

	t.Run("kill and start", func(t *testing.T) {
		require.NoError(t, r.Kill(ctx, "api"))
		require.Eventually(t, func() bool { c, _ := get(t, "http://"+web+"/"); return c == 502 }, 10*time.Second, 50*time.Millisecond)
		require.NoError(t, r.Start(ctx, "api"))
		require.Eventually(t, func() bool { c, _ := get(t, "http://"+web+"/"); return c == 200 }, 20*time.Second, 100*time.Millisecond)
		before := edgeCounts(t, r)["api->cache"]
		get(t, "http://"+web+"/")
		assert.Equal(t, before+1, edgeCounts(t, r)["api->cache"], "api is still named as a caller after its restart")
	})

	t.Run("pause", func(t *testing.T) {
		require.NoError(t, r.Pause(ctx, "cache"))
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 502, code, "redis frozen: api's 2 s deadline passes: %s", body)
		require.NoError(t, r.Unpause(ctx, "cache"))
		code, _ = get(t, "http://"+web+"/")
		assert.Equal(t, 200, code)
	})

	t.Run("cpu limit", func(t *testing.T) {
		require.NoError(t, r.SetCPULimit(ctx, "api", 0.5))
		cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
		require.NoError(t, err)
		defer cli.Close()
		ins, err := cli.ContainerInspect(ctx, r.ContainerID("api"), client.ContainerInspectOptions{})
		require.NoError(t, err)
		assert.Equal(t, int64(5e8), ins.Container.HostConfig.NanoCPUs)
		require.NoError(t, r.SetCPULimit(ctx, "api", 0))
	})

	t.Run("memory limit and OOM kill", func(t *testing.T) {
		require.NoError(t, r.SetMemoryLimit(ctx, "api", 32<<20))
		api, err := r.Addr("api")
		require.NoError(t, err)
		get(t, "http://"+api+"/alloc?mib=64")
		require.Eventually(t, func() bool {
			st, err := r.State(ctx, "api")
			return err == nil && st.OOMKilled && !st.Running
		}, 20*time.Second, 100*time.Millisecond, "api OOM-killed under a 32 MiB limit")
	})
}

// A team's container restarted by its restart policy may come back with
// another address on the run network (on this engine it kept its own; the
// test makes the run's record of it stale instead): the restart makes the
// run re-read it and tell the sidecars, so its calls are still counted as
// its own, not as an unknown caller's.
func TestTeamContainerRestartedByPolicyKeepsItsCallerName(t *testing.T) {
	im := buildTeamImages(t)
	r := startTeam(t, teamSystem(im, false), docker.WithRestartPolicy("on-failure"))
	ctx := context.Background()
	web, err := r.Addr("web")
	require.NoError(t, err)
	counted := func() bool { // one more api->cache call, counted as api's
		n := edgeCounts(t, r)["api->cache"]
		code, body := get(t, "http://"+web+"/")
		require.Equal(t, 200, code, body)
		return edgeCounts(t, r)["api->cache"] == n+1
	}
	require.True(t, counted())
	require.NoError(t, r.SetCallerIP(ctx, "api", "10.255.255.254"))
	require.False(t, counted(), "with a stale address, api's calls are not counted as api's")

	require.NoError(t, r.Kill(ctx, "api"))
	require.Eventually(t, func() bool {
		st, err := r.State(ctx, "api")
		return err == nil && st.Running && st.Restarts == 1
	}, 20*time.Second, 50*time.Millisecond, "api restarted by its policy")
	require.Eventually(t, func() bool { c, _ := get(t, "http://"+web+"/"); return c == 200 }, 20*time.Second, 100*time.Millisecond)
	require.Eventually(t, counted, 10*time.Second, 200*time.Millisecond,
		"api is named as the caller of cache after its restart: %v", edgeCounts(t, r))
}

// 20 start/stop cycles of a team's three containers (3 with -short) leave
// no container, network or volume: Redis's image declares VOLUME /data, so
// each run creates an anonymous volume, which Stop must remove.
func TestTeamContainerCyclesLeaveNothing(t *testing.T) {
	cycles := 20
	if testing.Short() {
		cycles = 3
	}
	im := buildTeamImages(t)
	sys := teamSystem(im, false)
	ctx := context.Background()
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	defer cli.Close()
	var total time.Duration
	for i := range cycles {
		began := time.Now()
		r, err := docker.New().StartSystem(ctx, sys)
		require.NoError(t, err, "cycle %d", i)
		web, _ := r.Addr("web")
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 200, code, "cycle %d: %s", i, body)
		ins, err := cli.ContainerInspect(ctx, r.ContainerID("cache"), client.ContainerInspectOptions{})
		require.NoError(t, err)
		var volumes []string
		for _, m := range ins.Container.Mounts {
			if m.Type == "volume" {
				volumes = append(volumes, m.Name)
			}
		}
		require.NotEmpty(t, volumes, "cycle %d: redis has its /data volume", i)
		require.NoError(t, r.Stop(ctx))
		total += time.Since(began)
		c, n := leftovers(t, r.RunID())
		require.Zero(t, c, "cycle %d left containers", i)
		require.Zero(t, n, "cycle %d left a network", i)
		require.Zero(t, leftoverVolumes(t, r.RunID()), "cycle %d left the run's named volume", i)
		for _, v := range volumes {
			_, err := cli.VolumeInspect(ctx, v, client.VolumeInspectOptions{})
			require.Error(t, err, "cycle %d left volume %s", i, v)
		}
	}
	t.Logf("%d cycles of 3 team containers (+3 sidecars), %s per start+stop", cycles, (total / time.Duration(cycles)).Round(time.Millisecond))
}
