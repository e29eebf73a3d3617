package docker_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	cmd := exec.Command("true")
	require.NoError(t, cmd.Run())
	return cmd.Process.Pid
}

// fakeRun leaves a network and a (never started) container labelled as a
// run of process pid on this host, as a killed test binary would.
func fakeRun(t *testing.T, cli *client.Client, image, runID string, pid int) {
	host, _ := os.Hostname()
	labels := map[string]string{docker.LabelApp: "1", docker.LabelRun: runID, docker.LabelHost: host,
		docker.LabelPID: strconv.Itoa(pid), docker.LabelCreated: time.Now().UTC().Format(time.RFC3339)}
	ctx := context.Background()
	_, err := cli.NetworkCreate(ctx, "gameday-"+runID, client.NetworkCreateOptions{Driver: "bridge", Labels: labels})
	require.NoError(t, err)
	_, err = cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: image, Cmd: []string{"serve", "api"}, Labels: labels},
		HostConfig: &container.HostConfig{NetworkMode: container.NetworkMode("gameday-" + runID)},
	})
	require.NoError(t, err)
}

func TestSweepRemovesDeadRunsOnly(t *testing.T) {
	ctx := context.Background()
	bin, err := dockertest.Binary(ctx)
	require.NoError(t, err)
	image, err := docker.EnsureImage(ctx, bin)
	require.NoError(t, err)
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	defer cli.Close()

	dead, live := "gd-sweeptest-dead", "gd-sweeptest-live"
	fakeRun(t, cli, image, dead, deadPID(t))
	fakeRun(t, cli, image, live, os.Getpid())
	t.Cleanup(func() { // the live one is ours: remove it like Stop would
		f := client.Filters{}.Add("label", docker.LabelRun+"="+live)
		cs, _ := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
		for _, c := range cs.Items {
			cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
		}
		cli.NetworkRemove(ctx, "gameday-"+live, client.NetworkRemoveOptions{})
	})

	removed, err := docker.Sweep(ctx)
	require.NoError(t, err)
	assert.Contains(t, removed, dead)
	assert.NotContains(t, removed, live, "a live process's run is left alone")
	c, n := leftovers(t, dead)
	assert.Zero(t, c)
	assert.Zero(t, n)
	c, n = leftovers(t, live)
	assert.Equal(t, 1, c)
	assert.Equal(t, 1, n)
}
