package target_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"

	"github.com/gameday-dev/gameday/harness/target"
)

func TestContainerPortNumber(t *testing.T) {
	for in, want := range map[string]int{"8080": 8080, "6379/tcp": 6379, "127.0.0.1:0:9000/tcp": 9000, "0:80": 80} {
		got, err := target.ContainerPortNumber(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "http", "53/udp", "70000", "0"} {
		_, err := target.ContainerPortNumber(bad)
		assert.Error(t, err, bad)
	}
}

func TestContainerValidate(t *testing.T) {
	req := func(r testcontainers.ContainerRequest) testcontainers.GenericContainerRequest {
		return testcontainers.GenericContainerRequest{ContainerRequest: r}
	}
	run := func(context.Context, ...testcontainers.ContainerCustomizer) (testcontainers.Container, error) {
		return nil, nil
	}

	assert.NoError(t, (&target.Container{Request: req(testcontainers.ContainerRequest{Image: "team/app:1"})}).Validate())
	assert.NoError(t, (&target.Container{Run: run, Port: "6379"}).Validate())
	assert.NoError(t, (&target.Container{Request: req(testcontainers.ContainerRequest{
		FromDockerfile: testcontainers.FromDockerfile{Context: "."}, ExposedPorts: []string{"8080/tcp"}})}).Validate())

	err := (&target.Container{}).Validate()
	assert.ErrorContains(t, err, "no image")
	err = (&target.Container{Run: run, Request: req(testcontainers.ContainerRequest{Image: "x",
		ExposedPorts: []string{"53/udp"}})}).Validate()
	assert.ErrorContains(t, err, "both a Run function and a Request image")
	assert.ErrorContains(t, err, "needs its Port")
	assert.ErrorContains(t, err, "only tcp ports")
	g := req(testcontainers.ContainerRequest{Image: "x"})
	g.Reuse = true
	assert.ErrorContains(t, (&target.Container{Request: g}).Validate(), "reuse")

	vols := func(vs ...target.Volume) error {
		return (&target.Container{Request: req(testcontainers.ContainerRequest{Image: "x"}), Volumes: vs}).Validate()
	}
	assert.NoError(t, vols(target.Volume{Name: "data-1.x_y", Path: "/data"}, target.Volume{Name: "data-1.x_y", Path: "/ro", ReadOnly: true}))
	err = vols(target.Volume{Name: "-data", Path: "/a"}, target.Volume{Name: "a/b", Path: "/b"}, target.Volume{Name: "", Path: "/c"},
		target.Volume{Name: "d", Path: "rel"}, target.Volume{Name: "e", Path: "/e"}, target.Volume{Name: "f", Path: "/e"})
	for _, want := range []string{`volume "-data"`, `volume "a/b"`, `volume ""`, `mount path "rel" must be absolute`, "path /e is mounted twice"} {
		assert.ErrorContains(t, err, want)
	}

	c := target.Container{Request: req(testcontainers.ContainerRequest{Image: "x", ExposedPorts: []string{"9000/tcp", "9001"}})}
	assert.Equal(t, "9000/tcp", c.CallerPort())
	c.Port = "9001"
	assert.Equal(t, "9001", c.CallerPort())
}
