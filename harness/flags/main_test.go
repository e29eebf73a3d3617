package flags

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	code := m.Run()
	// Keep-alive connections of the shared client are not leaks of ours.
	http.DefaultClient.CloseIdleConnections()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutine leak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// startServer runs a flag server on a loopback port until the test ends.
func startServer(tb testing.TB, cfg ServerConfig) (*Server, string) {
	tb.Helper()
	s, err := NewServer(cfg)
	require.NoError(tb, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, ErrServerClosed) {
				tb.Errorf("serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			tb.Errorf("Serve did not return after cancel")
		}
		require.NoError(tb, s.Close())
	})
	return s, "http://" + ln.Addr().String()
}

const testFlags = `{
  "$schema": "https://flagd.dev/schema/v0/flags.json",
  "flags": {
    "paymentFailure": {"state": "ENABLED", "defaultVariant": "off",
      "variants": {"off": 0, "10%": 0.1, "50%": 0.5, "100%": 1}},
    "adFailure": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false, "on": true}},
    "greeting": {"state": "ENABLED", "defaultVariant": "hello", "variants": {"hello": "hi", "formal": "good day"},
      "targeting": {"if": [{"ends_with": [{"var": "email"}, "@bank.example"]}, "formal", null]}},
    "theme": {"state": "ENABLED", "defaultVariant": "light",
      "variants": {"light": {"bg": "white", "size": 3}, "dark": {"bg": "black", "size": 3}}},
    "broken": {"state": "ENABLED", "defaultVariant": "a", "variants": {"a": 1, "b": 2},
      "targeting": {"substr": [{"var": "x"}]}},
    "retired": {"state": "DISABLED", "defaultVariant": "on", "variants": {"off": false, "on": true}}
  }
}`

func mustListen(tb testing.TB) net.Listener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	return ln
}
