package proxy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startAgent runs RunAgent on loopback ports and returns the proxy and
// control addresses.
func startAgent(t *testing.T, upstream, token string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan [2]string, 1)
	done := make(chan error, 1)
	go func() {
		done <- RunAgent(ctx, AgentConfig{Listen: "127.0.0.1:0", Control: "127.0.0.1:0", Upstream: upstream,
			Token: token, Service: "catalog",
			OnListen: func(p, c string) { addrs <- [2]string{p, c} }})
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	select {
	case a := <-addrs:
		return a[0], a[1]
	case err := <-done:
		t.Fatalf("agent: %v", err)
	}
	return "", ""
}

func TestAgentRemoteControl(t *testing.T) {
	u := okUpstream(t)
	proxyAddr, controlAddr := startAgent(t, u.addr(), "s3cret")
	r := NewRemote("http://"+controlAddr, "s3cret")
	t.Cleanup(func() { _ = r.Close() })
	ctx := ctxT(t)
	c := newClient(t)
	url := "http://" + proxyAddr + "/"

	require.NoError(t, r.SetCallers(ctx, map[string]string{"127.0.0.1": "frontend"}))
	code, _ := get(t, c, url)
	assert.Equal(t, 200, code)

	require.NoError(t, r.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 418, ErrorBody: "remote"}, time.Minute))
	code, body := get(t, c, url)
	assert.Equal(t, 418, code)
	assert.Equal(t, "remote", body)
	require.NoError(t, r.SetHTTPFault(ctx, nil, 0))
	code, _ = get(t, c, url)
	assert.Equal(t, 200, code)

	err := r.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 2}, time.Minute)
	require.Error(t, err, "validation errors come back")
	assert.Contains(t, err.Error(), "error rate")

	err = r.SetGRPCFault(ctx, &GRPCFault{ErrorRate: 1, StatusCode: 14}, time.Minute)
	require.Error(t, err, "a grpc fault on an http service is refused, not silently ignored")
	assert.Contains(t, err.Error(), "catalog speaks http")
	require.NoError(t, r.SetGRPCFault(ctx, nil, 0))

	require.NoError(t, r.AddToxic(ctx, kind.Latency{Latency: 100 * time.Millisecond}, time.Minute))
	start := time.Now()
	get(t, c, url)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	require.NoError(t, r.RemoveToxics(ctx))

	require.NoError(t, r.SetPaused(ctx, true))
	require.NoError(t, r.SetPaused(ctx, false))
	require.NoError(t, r.Block(ctx, "frontend", true))
	_, err = newClient(t).Get(url)
	assert.Error(t, err, "blocked caller")
	require.NoError(t, r.Block(ctx, "frontend", false))

	edges, err := r.Edges(ctx)
	require.NoError(t, err)
	require.Len(t, edges, 1)
	assert.Equal(t, "frontend", edges[0].Caller)
	assert.Equal(t, "catalog", edges[0].Callee)
	assert.Equal(t, uint64(4), edges[0].Requests)
	assert.Equal(t, uint64(1), edges[0].Outcomes["injected_error"])
	assert.Equal(t, uint64(1), edges[0].Outcomes["blocked"])
}

func TestControlRefusesWrongToken(t *testing.T) {
	_, controlAddr := startAgent(t, okUpstream(t).addr(), "right")
	ctx := ctxT(t)
	for _, tok := range []string{"wrong", ""} {
		r := NewRemote("http://"+controlAddr, tok)
		err := r.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 500}, time.Minute)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "status 401")
		_, err = r.Edges(ctx)
		assert.Error(t, err)
		_ = r.Close()
	}
	resp, err := newClient(t).Get("http://" + controlAddr + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "health needs no token")

	p, err := New(Config{Service: "x", Upstream: "127.0.0.1:1"})
	require.NoError(t, err)
	defer p.Close()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/edges", nil)
	req.Header.Set("Authorization", "Bearer ")
	ControlHandler(p, "").ServeHTTP(rec, req)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "an empty token opens nothing")
}

func TestAgentConfig(t *testing.T) {
	env := map[string]string{EnvAgentListen: ":8080", EnvAgentUpstream: "catalog-real:8080",
		EnvAgentControl: ":9901", EnvAgentToken: "t", EnvAgentService: "catalog", EnvAgentProtocol: "grpc"}
	cfg, err := AgentConfigFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, GRPC, cfg.Protocol)
	_, err = AgentConfigFromEnv(func(string) string { return "" })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "token is required")
}
