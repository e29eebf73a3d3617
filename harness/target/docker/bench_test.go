package docker_test

import (
	"context"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/target/docker/binary"
	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// demoSize is the number of services of the demo shop (14): a Wide system
// of that size has the same number of containers (28 with sidecars).
const demoSize = 14

// Goals (issue "Docker target"): warm start of a demo-sized system < 10 s,
// first build < 90 s, teardown < 5 s. Printed per op as start-s, stop-s.
func BenchmarkWarmStartStopDemoSize(b *testing.B) {
	benchStartStop(b, demoSize)
}

func BenchmarkWarmStartStopTwoServices(b *testing.B) {
	benchStartStop(b, 2)
}

func benchStartStop(b *testing.B, n int) {
	ctx := context.Background()
	sys := dockertest.Wide(n)
	warm, err := docker.New().StartSystem(ctx, dockertest.System()) // binary and image cached from here on
	if err != nil {
		b.Fatal(err)
	}
	if err := warm.Stop(ctx); err != nil {
		b.Fatal(err)
	}
	var start, stop time.Duration
	for b.Loop() {
		t0 := time.Now()
		r, err := docker.New().StartSystem(ctx, sys)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := r.Stop(ctx); err != nil {
			b.Fatal(err)
		}
		start += t1.Sub(t0)
		stop += time.Since(t1)
	}
	b.ReportMetric(start.Seconds()/float64(b.N), "start-s")
	b.ReportMetric(stop.Seconds()/float64(b.N), "stop-s")
	b.Logf("%d services (%d containers): start %.1fs (goal < 10s), stop %.1fs (goal < 5s)",
		n, 2*n, start.Seconds()/float64(b.N), stop.Seconds()/float64(b.N))
}

// First build: go build of the binary into an empty cache (the go build
// cache stays warm, as on any developer machine) and an image build of a
// never-seen binary. Goal < 90 s.
func BenchmarkFirstBuild(b *testing.B) {
	ctx := context.Background()
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	root, err := binary.ModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	var goBuild, imageBuild time.Duration
	for b.Loop() {
		t0 := time.Now()
		bin, err := binary.Build(ctx, binary.Config{ModuleDir: root, Package: dockertest.Package, CacheDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		unique := uniqueCopy(b, bin) // a new digest, so the image is really built
		tag, err := docker.EnsureImage(ctx, unique)
		if err != nil {
			b.Fatal(err)
		}
		imageBuild += time.Since(t1)
		goBuild += t1.Sub(t0)
		cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	}
	total := (goBuild + imageBuild).Seconds() / float64(b.N)
	b.ReportMetric(goBuild.Seconds()/float64(b.N), "gobuild-s")
	b.ReportMetric(imageBuild.Seconds()/float64(b.N), "image-s")
	b.Logf("first build: go build %.1fs + image %.1fs = %.1fs (goal < 90s)",
		goBuild.Seconds()/float64(b.N), imageBuild.Seconds()/float64(b.N), total)
}

// uniqueCopy copies bin with 16 random bytes appended (ELF ignores them).
func uniqueCopy(b *testing.B, bin string) string {
	src, err := os.Open(bin)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst := filepath.Join(b.TempDir(), "gameday")
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, src); err != nil {
		b.Fatal(err)
	}
	tail := make([]byte, 16)
	rand.Read(tail)
	f.Write(tail)
	return dst
}

// The peer: the same number of containers as a demo-sized run, created and
// started straight through the Docker API (no network aliases, sidecars
// or health checks) — the floor the engine sets on this machine.
func BenchmarkPeerRawContainersDemoSize(b *testing.B) {
	ctx := context.Background()
	bin, err := dockertest.Binary(ctx)
	if err != nil {
		b.Fatal(err)
	}
	image, err := docker.EnsureImage(ctx, bin)
	if err != nil {
		b.Fatal(err)
	}
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	var start, stop time.Duration
	for b.Loop() {
		t0 := time.Now()
		ids := make([]string, 2*demoSize)
		var wg sync.WaitGroup
		sem := make(chan struct{}, docker.DefaultParallel)
		for i := range ids {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				c, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{
					Image: image, Cmd: []string{"serve", "api"}, Labels: map[string]string{docker.LabelApp: "1", docker.LabelRun: "gd-bench-raw"}}})
				if err != nil {
					b.Error(err)
					return
				}
				ids[i] = c.ID
				if _, err := cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		t1 := time.Now()
		for _, id := range ids {
			if id != "" {
				wg.Go(func() { cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}) })
			}
		}
		wg.Wait()
		start += t1.Sub(t0)
		stop += time.Since(t1)
	}
	b.ReportMetric(start.Seconds()/float64(b.N), "start-s")
	b.ReportMetric(stop.Seconds()/float64(b.N), "stop-s")
	b.Logf("raw API, %d containers: start %.1fs, remove %.1fs", 2*demoSize, start.Seconds()/float64(b.N), stop.Seconds()/float64(b.N))
}
