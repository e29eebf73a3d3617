package docker_test

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// Consecutive start/stop cycles leave no container, network or image
// behind: 20 cycles, 3 with -short.
func TestStartStopCyclesLeaveNothing(t *testing.T) {
	cycles := 20
	if testing.Short() {
		cycles = 3
	}
	ctx := context.Background()
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	defer cli.Close()
	var total time.Duration
	tags := map[string]bool{} // the image each run used: a new one only when the sources changed
	for i := range cycles {
		began := time.Now()
		r, err := docker.New().StartSystem(ctx, dockertest.System())
		require.NoError(t, err, "cycle %d", i)
		tags[r.Image()] = true
		web, _ := r.Addr("web")
		code, body := get(t, "http://"+web+"/")
		assert.Equal(t, 200, code, "cycle %d: %s", i, body)
		require.NoError(t, r.Stop(ctx))
		total += time.Since(began)
		c, n := leftovers(t, r.RunID())
		require.Zero(t, c, "cycle %d left containers", i)
		require.Zero(t, n, "cycle %d left a network", i)
	}
	// Images are per source tree (the tree may change while others edit it,
	// and other processes may build meanwhile), never per run: the runs'
	// images stay cached for the next run and none carries a run label.
	for tag := range tags {
		_, err := cli.ImageInspect(ctx, tag)
		assert.NoError(t, err, "image %s stays cached for the next run", tag)
	}
	runImages, err := cli.ImageList(ctx, client.ImageListOptions{Filters: client.Filters{}.Add("label", docker.LabelRun)})
	require.NoError(t, err)
	assert.Empty(t, runImages.Items, "no image belongs to a run")
	t.Logf("%d cycles, %s per start+stop", cycles, (total / time.Duration(cycles)).Round(time.Millisecond))
}
