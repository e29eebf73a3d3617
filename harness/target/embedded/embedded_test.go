package embedded

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartWiresEdges(t *testing.T) {
	begin := time.Now()
	r := start(t, testSystem())
	t.Logf("started in %v", time.Since(begin))
	assert.Equal(t, []string{"frontend", "backend", "store"}, r.Services())

	addr, err := r.Addr("frontend")
	require.NoError(t, err)
	code, body := fetch(t, addr, "/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "front+backend", body)

	env, err := r.Env("frontend")
	require.NoError(t, err)
	backendAddr, _ := r.DirectAddr("backend")
	assert.NotEqual(t, backendAddr, env[target.AddrEnv("backend")], "dependencies are reached through the proxy")

	edges, err := r.Edges(context.Background())
	require.NoError(t, err)
	counts := map[string]uint64{}
	for _, e := range edges {
		counts[e.Caller+"->"+e.Callee] = e.Requests
	}
	assert.Equal(t, map[string]uint64{"client->frontend": 1, "frontend->backend": 1}, counts)

	_, err = r.Addr("nope")
	assert.ErrorIs(t, err, target.ErrUnknownService)
}

func TestKillAndRestartOnSamePort(t *testing.T) {
	r := start(t, testSystem())
	ctx := context.Background()
	front, _ := r.Addr("frontend")
	direct, _ := r.DirectAddr("backend")

	require.NoError(t, r.Kill(ctx, "backend"))
	_, err := net.DialTimeout("tcp", direct, time.Second)
	assert.Error(t, err, "a killed service's port refuses")
	code, _ := fetch(t, front, "/")
	assert.Equal(t, http.StatusBadGateway, code, "the caller sees its dependency gone")
	st, err := r.State(ctx, "backend")
	require.NoError(t, err)
	assert.False(t, st.Running)

	require.NoError(t, r.Start(ctx, "backend"))
	again, _ := r.DirectAddr("backend")
	assert.Equal(t, direct, again)
	code, body := fetch(t, front, "/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "front+backend", body)
	st, _ = r.State(ctx, "backend")
	assert.True(t, st.Running)
	assert.Equal(t, 1, st.Restarts)
	require.NoError(t, r.Kill(ctx, "backend"))
	require.NoError(t, r.Kill(ctx, "backend"), "killing twice is fine")
}

func TestPauseAndUnpause(t *testing.T) {
	r := start(t, testSystem())
	ctx := context.Background()
	front, _ := r.Addr("frontend")
	require.NoError(t, r.Pause(ctx, "backend"))
	code, body := fetch(t, front, "/")
	assert.Equal(t, http.StatusBadGateway, code, "the frontend times out on a paused backend: %s", body)
	require.NoError(t, r.Unpause(ctx, "backend"))
	code, _ = fetch(t, front, "/")
	assert.Equal(t, 200, code)
}

func TestPartitionAndHeal(t *testing.T) {
	r := start(t, testSystem())
	ctx := context.Background()
	front, _ := r.Addr("frontend")
	back, _ := r.Addr("backend")
	require.NoError(t, r.Partition(ctx, "frontend", "backend"))
	code, _ := fetch(t, front, "/")
	assert.Equal(t, http.StatusBadGateway, code)
	code, _ = fetch(t, back, "/")
	assert.Equal(t, 200, code, "only the frontend → backend edge is cut")
	require.NoError(t, r.Heal(ctx, "frontend", "backend"))
	code, _ = fetch(t, front, "/")
	assert.Equal(t, 200, code)
}

func TestFaultsThroughProxies(t *testing.T) {
	r := start(t, testSystem())
	ctx := context.Background()
	fp, err := r.Proxy("backend")
	require.NoError(t, err)
	require.NoError(t, fp.SetHTTPFault(ctx, &proxy.HTTPFault{ErrorRate: 1, ErrorCode: 503, ErrorBody: "down"}, time.Minute))
	front, _ := r.Addr("frontend")
	_, body := fetch(t, front, "/")
	assert.Equal(t, "front+down", body)
	_, ok := fp.(target.TCPFaultProxy)
	assert.True(t, ok)

	// A TCP fault on the TCP service, through the target's capability.
	require.NoError(t, r.AddToxic(ctx, "store", kind.Latency{Latency: 100 * time.Millisecond}, time.Minute))
	store, _ := r.Addr("store")
	c, err := net.Dial("tcp", store)
	require.NoError(t, err)
	defer c.Close()
	begin := time.Now()
	_, _ = c.Write([]byte("hi\n"))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "hi\n", line)
	assert.GreaterOrEqual(t, time.Since(begin), 100*time.Millisecond)
	require.NoError(t, r.RemoveToxics(ctx, "store"))

	assert.ErrorIs(t, r.SetMemoryLimit(ctx, "store", 1<<20), target.ErrUnsupported)
	assert.ErrorIs(t, r.SetCPULimit(ctx, "store", 0.5), target.ErrUnsupported)
}

func TestStopTwiceFreesPorts(t *testing.T) {
	tg := New()
	run, err := tg.Start(context.Background(), testSystem())
	require.NoError(t, err)
	r := run.(*Running)
	var addrs []string
	for _, s := range r.Services() {
		a, _ := r.Addr(s)
		d, _ := r.DirectAddr(s)
		addrs = append(addrs, a, d)
	}
	require.NoError(t, r.Stop(context.Background()))
	require.NoError(t, r.Stop(context.Background()))
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if assert.NoError(t, err, "port %s is free again", a) {
			ln.Close()
		}
	}
}

func TestPanickingServiceIsAnError(t *testing.T) {
	sys := testSystem()
	sys.Services[1].Run = func(context.Context, net.Listener, target.Env) error { panic("boom") }
	_, err := New().Start(context.Background(), sys)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "backend")
	assert.Contains(t, err.Error(), "panicked: boom")
}

func TestServiceExitingBeforeReady(t *testing.T) {
	sys := testSystem()
	sys.Services[1].Run = func(context.Context, net.Listener, target.Env) error { return errors.New("no database") }
	_, err := New().Start(context.Background(), sys)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service backend exited before it was ready: no database")
}

func TestServiceNeverReady(t *testing.T) {
	sys := testSystem()
	sys.Services[1].Run = httpRun(func(target.Env) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	})
	tg, err := NewWithConfig(Config{ReadyTimeout: 300 * time.Millisecond})
	require.NoError(t, err)
	_, err = tg.Start(context.Background(), sys)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service backend never got ready")
	assert.Contains(t, err.Error(), "status 503")
}

func TestBadSystem(t *testing.T) {
	sys := testSystem()
	sys.Services[0].Deps = append(sys.Services[0].Deps, "ghost")
	sys.Services = append(sys.Services, sys.Services[1])
	_, err := New().Start(context.Background(), sys)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown service ghost")
	assert.Contains(t, err.Error(), "defined twice")
	_, err = NewWithConfig(Config{Host: "10.0.0.1"})
	assert.Error(t, err)
}

func TestPanicAfterStartIsReported(t *testing.T) {
	sys := testSystem()
	crash := make(chan struct{})
	runs := 0
	sys.Services[1].Run = func(ctx context.Context, ln net.Listener, env target.Env) error {
		if runs++; runs == 1 { // only the first run crashes
			go func() { <-crash; _ = ln.Close() }()
		}
		err := httpRun(func(target.Env) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
		})(ctx, ln, env)
		if err != nil {
			panic("listener lost: " + err.Error())
		}
		return nil
	}
	r := start(t, sys)
	close(crash)
	require.Eventually(t, func() bool { done, _ := r.Exited("backend"); return done }, 5*time.Second, 5*time.Millisecond)
	_, err := r.Exited("backend")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service backend panicked: listener lost")
	st, _ := r.State(context.Background(), "backend")
	assert.False(t, st.Running)
	require.NoError(t, r.Start(context.Background(), "backend"), "a crashed service can be started again")
	front, _ := r.Addr("frontend")
	code, _ := fetch(t, front, "/")
	assert.Equal(t, 200, code)
}
