package docker_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

func TestAvailableWithAnEngine(t *testing.T) {
	require.NoError(t, docker.Available(context.Background()))
	name, reason := docker.Auto(context.Background())
	assert.Equal(t, "docker", name)
	assert.Contains(t, reason, "answered")
}

func TestAvailableFailsFastOnADeadSocket(t *testing.T) {
	dead := "unix://" + filepath.Join(t.TempDir(), "no-engine.sock")
	t.Setenv("DOCKER_HOST", dead)
	began := time.Now()
	err := docker.Available(context.Background())
	require.Error(t, err)
	assert.True(t, errors.Is(err, docker.ErrNoEngine), "wraps ErrNoEngine: %v", err)
	assert.Contains(t, err.Error(), "no-engine.sock", "names the host it tried")
	assert.Less(t, time.Since(began), docker.DefaultPingTimeout+time.Second)
	name, reason := docker.Auto(context.Background())
	assert.Equal(t, "embedded", name)
	assert.Contains(t, reason, "using the embedded target")

	// Start says the same, before building anything.
	_, err = docker.New().Start(context.Background(), dockertest.System())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-engine.sock")
}
