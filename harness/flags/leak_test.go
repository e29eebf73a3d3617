package flags

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// A watched, serving server leaves no goroutine behind once its context is
// cancelled and it is closed.
func TestNoGoroutinesAfterClose(t *testing.T) {
	before := goleak.IgnoreCurrent()
	path := filepath.Join(t.TempDir(), "flags.json")
	require.NoError(t, os.WriteFile(path, []byte(testFlags), 0o644))
	srv, err := NewServer(ServerConfig{File: path, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	ln := mustListen(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Post("http://"+ln.Addr().String()+"/ofrep/v1/evaluate/flags/adFailure",
		"application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	require.NoError(t, <-done)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close())
	client.CloseIdleConnections()
	goleak.VerifyNone(t, before)
}

// Close alone also stops a running Serve.
func TestCloseStopsServe(t *testing.T) {
	srv, err := NewServer(ServerConfig{Data: []byte(testFlags)})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), mustListen(t)) }()
	time.Sleep(20 * time.Millisecond) // let Serve start; either order must work
	require.NoError(t, srv.Close())
	select {
	case err := <-done:
		if err != nil { // Close won the race with Serve's start
			assert.ErrorIs(t, err, ErrServerClosed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after Close")
	}
}
