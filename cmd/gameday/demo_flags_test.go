package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `gameday demo --flags FILE` refuses a missing or invalid file with one
// line and exit 2, before starting anything.
func TestDemoFlagsBadFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"flags": {`), 0o600))
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		var out, errb bytes.Buffer
		code := runDemo(context.Background(), []string{"--flags", path}, &out, &errb)
		assert.Equal(t, exitUsage, code, path)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one line: %q", errb.String())
		assert.Contains(t, errb.String(), "gameday demo: --flags: ")
		assert.Empty(t, out.String())
	}
	var out, errb bytes.Buffer
	good := filepath.Join(t.TempDir(), "good.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"flags": {}}`), 0o600))
	assert.Equal(t, exitUsage, runDemo(context.Background(), []string{"--flags", good, "--target", "docker"}, &out, &errb))
	assert.Contains(t, errb.String(), "--flags needs --target embedded")
}

// A flag file with a flag no demo service reads is served, and the flag is
// listed with a note, never silently ignored.
func TestDemoFlagsNotesUnimplemented(t *testing.T) {
	path := filepath.Join(t.TempDir(), "team.flagd.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"flags": {
	  "paymentFailure": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": 0, "on": 1}},
	  "newCheckoutFlow": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false, "on": true}}}}`), 0o600))
	var errb bytes.Buffer
	sys, err := demoWithFlags(path, "embedded", &errb)
	require.NoError(t, err)
	assert.Contains(t, errb.String(), `flag "newCheckoutFlow": not implemented by the demo`)
	assert.NotContains(t, errb.String(), `"paymentFailure"`)
	svc, ok := sys.Service("flags")
	require.True(t, ok)
	abs, _ := filepath.Abs(path)
	assert.Equal(t, abs, svc.Env["FLAGS_FILE"])
}
