package proxy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUpstreamFollowsTheTrafficRule: the proxy forwards only to loopback
// or to hosts the run says it started.
func TestUpstreamFollowsTheTrafficRule(t *testing.T) {
	for _, up := range []string{"127.0.0.1:8080", "127.5.6.7:80", "[::1]:8080", "localhost:8080"} {
		p, err := New(Config{Service: "svc", Upstream: up})
		require.NoError(t, err, up)
		require.NoError(t, p.Close())
	}
	for _, up := range []string{"10.0.0.5:8080", "93.184.215.14:80", "[2001:db8::1]:80", "0.0.0.0:8080", ":8080"} {
		_, err := New(Config{Service: "svc", Upstream: up})
		assert.ErrorIs(t, err, ErrUpstreamNotAllowed, up)
		assert.ErrorContains(t, err, "proxy for svc: upstream", up)
	}
	p, err := New(Config{Service: "svc", Upstream: "10.0.0.5:8080", AllowHosts: []string{"10.0.0.5"}})
	require.NoError(t, err, "a container the run started, allowed explicitly")
	require.NoError(t, p.Close())
	p, err = New(Config{Service: "svc", Upstream: "shop-cart:8080", AllowHosts: []string{"SHOP-CART"}})
	require.NoError(t, err, "allowed by name, without resolving it")
	require.NoError(t, p.Close())

	_, err = New(Config{Service: "svc", Upstream: "no-such-host.invalid:80"})
	assert.Error(t, err, "a name that does not resolve is refused")

	cfg, err := AgentConfigFromEnv(func(k string) string {
		return map[string]string{EnvAgentListen: ":0", EnvAgentControl: ":0", EnvAgentToken: "t", EnvAgentService: "svc",
			EnvAgentUpstream: "cart-real:8080", EnvAgentAllow: "cart-real, 10.0.0.9"}[k]
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"cart-real", "10.0.0.9"}, cfg.AllowHosts)
}
