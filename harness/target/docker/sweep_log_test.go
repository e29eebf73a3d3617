package docker_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

func TestSweepIsLogged(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: needs the docker engine")
	}
	ctx := context.Background()
	state := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", state)
	bin, err := dockertest.Binary(ctx)
	require.NoError(t, err)
	image, err := docker.EnsureImage(ctx, bin)
	require.NoError(t, err)
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	require.NoError(t, err)
	defer cli.Close()
	dead := "gd-sweeplogtest"
	fakeRun(t, cli, image, dead, deadPID(t))

	var out strings.Builder
	removed, err := docker.SweepLogged(ctx, &out)
	require.NoError(t, err)
	require.Contains(t, removed, dead)
	require.Contains(t, out.String(), "docker: swept dead run "+dead)
	data, err := os.ReadFile(filepath.Join(state, "gameday", "sweeps.log"))
	require.NoError(t, err)
	require.Contains(t, string(data), "swept dead run "+dead, "the sweep log keeps it")
}
