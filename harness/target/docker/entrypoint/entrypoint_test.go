package entrypoint_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

func TestProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	ctx := context.Background()
	assert.NoError(t, entrypoint.Probe(ctx, ln.Addr().String()))
	assert.NoError(t, entrypoint.Probe(ctx, "http://"+ln.Addr().String()+"/healthz"))
	assert.ErrorContains(t, entrypoint.Probe(ctx, "http://"+ln.Addr().String()+"/nope"), "status 404")
	assert.Error(t, entrypoint.Probe(ctx, "127.0.0.1:1"))
}

func TestServeUsage(t *testing.T) {
	sys := target.System{Name: "s", Services: []target.Service{{Name: "a"}}}
	var out, errb bytes.Buffer
	ctx := context.Background()
	assert.Equal(t, entrypoint.ExitUsage, entrypoint.Serve(ctx, sys, nil, &out, &errb))
	assert.Equal(t, entrypoint.ExitUsage, entrypoint.Serve(ctx, sys, []string{"nope"}, &out, &errb))
	assert.Contains(t, errb.String(), `no service "nope"`)
	assert.Equal(t, entrypoint.ExitError, entrypoint.Serve(ctx, sys, []string{"-probe", "127.0.0.1:1"}, &out, &errb))
}

func TestServeRunsTheServiceUntilCancelled(t *testing.T) {
	got := make(chan target.Env, 1)
	sys := target.System{Name: "s", Services: []target.Service{{Name: "a", Env: target.Env{"K": "spec"},
		Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
			got <- env
			<-ctx.Done()
			return ln.Close()
		}}}}
	t.Setenv(entrypoint.PortEnv, "0")
	t.Setenv("K", "env")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- entrypoint.Serve(ctx, sys, []string{"a"}, &bytes.Buffer{}, &bytes.Buffer{}) }()
	env := <-got
	assert.Equal(t, "env", env.Get("K", ""), "the environment wins over the spec")
	cancel()
	assert.Equal(t, entrypoint.ExitOK, <-done)
}

func TestAgentUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, entrypoint.ExitUsage, entrypoint.Agent(context.Background(), []string{"-service", "x"}, &out, &errb))
	assert.Contains(t, errb.String(), "usage: agent")
}

func TestAgentPortFlag(t *testing.T) {
	var out, errb bytes.Buffer
	code := entrypoint.Agent(context.Background(), []string{"-service", "x", "-upstream", "127.0.0.1:1", "-port", ":9001"}, &out, &errb)
	assert.Equal(t, entrypoint.ExitUsage, code)
	assert.Contains(t, errb.String(), `want LISTEN=UPSTREAM, got ":9001"`)

	errb.Reset()
	t.Setenv(entrypoint.AgentTokenEnv, "t")
	code = entrypoint.Agent(context.Background(), []string{"-service", "x", "-upstream", "127.0.0.1:1",
		"-listen", "127.0.0.1:0", "-control", "127.0.0.1:0", "-port", "127.0.0.1:0=192.0.2.1:9001"}, &out, &errb)
	assert.Equal(t, entrypoint.ExitError, code, "a second port's upstream obeys the traffic rule")
	assert.Contains(t, errb.String(), "upstream is not loopback or a host this run started")
}
