package flags

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reloadDeadline is the brief's promise: a rewritten file is served within 2s.
const reloadDeadline = 2 * time.Second

func writeFile(tb testing.TB, path, data string) {
	tb.Helper()
	// Write then rename, as editors and config managers do.
	tmp := path + ".tmp"
	require.NoError(tb, os.WriteFile(tmp, []byte(data), 0o644))
	require.NoError(tb, os.Rename(tmp, path))
}

func TestLiveReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.json")
	writeFile(t, path, testFlags)
	srv, _ := startServer(t, ServerConfig{File: path, AdminToken: testToken})
	require.NoError(t, srv.SetDefaultVariant("adFailure", "on"))

	start := time.Now()
	writeFile(t, path, strings.Replace(testFlags, `"defaultVariant": "off",
      "variants": {"off": 0,`, `"defaultVariant": "10%",
      "variants": {"off": 0,`, 1))
	require.Eventually(t, func() bool {
		return srv.Flags().Evaluate("paymentFailure", nil).Value == 0.1
	}, reloadDeadline, 10*time.Millisecond)
	t.Logf("reload took %v", time.Since(start))
	assert.NoError(t, srv.LastError())
	assert.Equal(t, true, srv.Flags().Evaluate("adFailure", nil).Value, "admin override survives a reload")

	// Garbage: the error is reported and the last good flags stay in force.
	writeFile(t, path, `{"flags": {"paymentFailure": {"state": "ENABLED", "defaultVariant": "60%", "variants": {"off": 0}}}}`)
	require.Eventually(t, func() bool { return srv.LastError() != nil }, reloadDeadline, 10*time.Millisecond)
	assert.Contains(t, srv.LastError().Error(), `flag "paymentFailure": defaultVariant "60%" is not one of its variants`)
	assert.Equal(t, 0.1, srv.Flags().Evaluate("paymentFailure", nil).Value)
	assert.Equal(t, "hi", srv.Flags().Evaluate("greeting", nil).Value)

	writeFile(t, path, `not even json`)
	require.Eventually(t, func() bool {
		err := srv.LastError()
		return err != nil && strings.Contains(err.Error(), "invalid JSON")
	}, reloadDeadline, 10*time.Millisecond)
	assert.Equal(t, 0.1, srv.Flags().Evaluate("paymentFailure", nil).Value)

	// A file that drops the overridden variant drops the override too.
	writeFile(t, path, `{"flags": {"adFailure": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false}}}}`)
	require.Eventually(t, func() bool { return srv.LastError() == nil }, reloadDeadline, 10*time.Millisecond)
	assert.Equal(t, false, srv.Flags().Evaluate("adFailure", nil).Value)
	assert.Equal(t, ErrorFlagNotFound, srv.Flags().Evaluate("paymentFailure", nil).ErrorCode)
}

func TestPollFallbackReloadsInPlaceWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.json")
	require.NoError(t, os.WriteFile(path, []byte(testFlags), 0o644))
	srv, err := NewServer(ServerConfig{File: path, PollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(testFlags, `"hello": "hi"`, `"hello": "hey"`, 1)), 0o644))
	require.Eventually(t, func() bool {
		return srv.Flags().Evaluate("greeting", nil).Value == "hey"
	}, reloadDeadline, 10*time.Millisecond)
}

func TestNewServerConfig(t *testing.T) {
	_, err := NewServer(ServerConfig{PollInterval: -1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "one of File or Data is required")
	assert.Contains(t, err.Error(), "poll interval -1ns is negative")

	_, err = NewServer(ServerConfig{Data: []byte(`{"flags": {"a": {}}}`)})
	assert.ErrorContains(t, err, `flags: flag "a": missing "state"`)

	_, err = NewServer(ServerConfig{File: filepath.Join(t.TempDir(), "missing.json")})
	assert.ErrorContains(t, err, "load flags")
}

func TestCloseTwiceAndServeAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.json")
	require.NoError(t, os.WriteFile(path, []byte(testFlags), 0o644))
	srv, err := NewServer(ServerConfig{File: path})
	require.NoError(t, err)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close())
	err = srv.Serve(t.Context(), mustListen(t))
	assert.ErrorIs(t, err, ErrServerClosed)
}
