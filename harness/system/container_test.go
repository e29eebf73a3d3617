package system_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
)

// moduleRun has a testcontainers-go module's Run signature, returning its
// own container type as modules do.
type moduleContainer struct{ testcontainers.Container }

func moduleRun(got *[]testcontainers.ContainerCustomizer) func(context.Context, string, ...testcontainers.ContainerCustomizer) (*moduleContainer, error) {
	return func(_ context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*moduleContainer, error) {
		*got = append(*got, opts...)
		return nil, nil
	}
}

func TestContainerAndModuleServices(t *testing.T) {
	var passed []testcontainers.ContainerCustomizer
	sys := system.New("team",
		system.Container("api", testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{
			Image: "team/api:1", ExposedPorts: []string{"9000/tcp"}}},
			system.Customize(testcontainers.WithEnv(map[string]string{"MODE": "fixed"})),
			system.Calls("cache", "REDIS_ADDR", "")),
		system.Module("cache", moduleRun(&passed), "team/redis:7", system.Port(6379), system.Protocol(target.TCP),
			system.Customize(testcontainers.WithCmdArgs("--maxmemory", "10mb"))),
	)
	require.NoError(t, sys.Validate())
	api, _ := sys.Service("api")
	assert.Equal(t, target.KindContainer, api.Kind())
	assert.Equal(t, "fixed", api.Container.Request.Env["MODE"], "customizers apply to the request")
	cache, _ := sys.Service("cache")
	assert.Equal(t, "6379", cache.Container.Port)

	c, err := cache.Container.Run(t.Context(), testcontainers.WithLabels(map[string]string{"gameday": "1"}))
	assert.NoError(t, err)
	assert.Nil(t, c, "a module's typed nil is a nil container")
	assert.Len(t, passed, 2, "the module gets the user's customizers, then gameday's")
}

func TestContainerOptionMistakesAreReported(t *testing.T) {
	run := func(context.Context, string, ...testcontainers.ContainerCustomizer) (*moduleContainer, error) {
		return nil, nil
	}
	sys := system.New("team",
		system.Module("cache", run, "team/redis:7"), // no Port
		system.Process("p", "/bin/true", system.Customize(testcontainers.WithEnv(nil))),
		system.Container("none", testcontainers.GenericContainerRequest{}),
	)
	err := sys.Validate()
	require.Error(t, err)
	assert.ErrorContains(t, err, "needs its Port")
	assert.ErrorContains(t, err, "Customize: only container services")
	assert.ErrorContains(t, err, "no image")
}
