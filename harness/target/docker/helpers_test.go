package docker_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// startTB starts the test system on the docker target and removes it when
// the test ends.
func startTB(tb testing.TB, opts ...docker.Option) *docker.Running {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r, err := docker.New(opts...).StartSystem(ctx, dockertest.System())
	if r != nil {
		tb.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := r.Stop(ctx); err != nil {
				tb.Errorf("stop: %v", err)
			}
		})
	}
	if err != nil {
		tb.Fatalf("start: %v", err)
	}
	return r
}

// get returns the status and body of GET url.
func get(tb testing.TB, url string) (int, string) {
	tb.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// runObjects opens a client of the engine and the filter of runID's label.
func runObjects(tb testing.TB, runID string) (*client.Client, client.Filters) {
	tb.Helper()
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		tb.Fatal(err)
	}
	return cli, client.Filters{}.Add("label", docker.LabelRun+"="+runID)
}

// leftoverVolumes counts the volumes labelled with runID.
func leftoverVolumes(tb testing.TB, runID string) int {
	tb.Helper()
	cli, f := runObjects(tb, runID)
	defer cli.Close()
	vs, err := cli.VolumeList(context.Background(), client.VolumeListOptions{Filters: f})
	if err != nil {
		tb.Fatal(err)
	}
	return len(vs.Items)
}

// leftovers counts the containers and networks labelled with runID.
func leftovers(tb testing.TB, runID string) (containers, networks int) {
	tb.Helper()
	cli, f := runObjects(tb, runID)
	defer cli.Close()
	cs, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		tb.Fatal(err)
	}
	ns, err := cli.NetworkList(context.Background(), client.NetworkListOptions{Filters: f})
	if err != nil {
		tb.Fatal(err)
	}
	return len(cs.Items), len(ns.Items)
}
