package docker_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	mnet "github.com/moby/moby/api/types/network"
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
	image, cli := peerSetup(b)
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

// The floor for the target's own layout: per service, a container on a run
// network with an alias and two published ports, and one in its network
// namespace (the service) — the engine work of Start without health
// checks, caller tables or anything else of the target.
func BenchmarkPeerRawSidecarLayoutDemoSize(b *testing.B) {
	benchPeer(b, "sidecar layout", true, func(ctx context.Context, p *peer, i int) {
		svc := fmt.Sprintf("s%d", i)
		ports := []string{"8080/tcp", "9090/tcp"}
		cfg := &container.Config{Cmd: []string{"serve", "api"}, ExposedPorts: mnet.PortSet{}}
		hc := &container.HostConfig{NetworkMode: container.NetworkMode(p.net), PortBindings: mnet.PortMap{}}
		for _, s := range ports {
			port := mnet.MustParsePort(s)
			cfg.ExposedPorts[port] = struct{}{}
			hc.PortBindings[port] = []mnet.PortBinding{{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "0"}}
		}
		owner := p.run(ctx, cfg, hc, &mnet.NetworkingConfig{EndpointsConfig: map[string]*mnet.EndpointSettings{p.net: {Aliases: []string{svc}}}})
		if owner != "" {
			p.run(ctx, &container.Config{Cmd: []string{"serve", "api"}, Env: []string{"PORT=8081"}},
				&container.HostConfig{NetworkMode: container.NetworkMode("container:" + owner)}, nil)
		}
	})
}

// The least the engine does for the demo's number of containers: all in
// one network namespace (no endpoint, DNS or port of their own), each
// service on its own port.
func BenchmarkPeerRawOneNamespaceDemoSize(b *testing.B) {
	var owner string
	benchPeer(b, "one namespace", false, func(ctx context.Context, p *peer, i int) {
		if i == 0 {
			owner = p.run(ctx, &container.Config{Cmd: []string{"serve", "api"}}, &container.HostConfig{NetworkMode: "none"}, nil)
			return
		}
		p.run(ctx, &container.Config{Cmd: []string{"serve", "api"}, Env: []string{"PORT=" + strconv.Itoa(8080+i)}},
			&container.HostConfig{NetworkMode: container.NetworkMode("container:" + owner)}, nil)
	})
}

// peer is one iteration of a peer benchmark: containers of the test image
// made straight through the Docker API, labelled so `gameday clean` finds
// any a failed run leaves.
type peer struct {
	b     *testing.B
	cli   *client.Client
	image string
	net   string // "" without a network
	mu    sync.Mutex
	ids   []string
}

func (p *peer) run(ctx context.Context, cfg *container.Config, hc *container.HostConfig, nc *mnet.NetworkingConfig) string {
	cfg.Image = p.image
	cfg.Labels = map[string]string{docker.LabelApp: "1", docker.LabelRun: "gd-bench-peer"}
	c, err := p.cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: hc, NetworkingConfig: nc})
	if err != nil {
		p.b.Error(err)
		return ""
	}
	p.mu.Lock()
	p.ids = append(p.ids, c.ID)
	p.mu.Unlock()
	if _, err := p.cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		p.b.Error(err)
		return ""
	}
	return c.ID
}

// benchPeer times making 2*demoSize containers, DefaultParallel calls of
// perService at a time (one service's containers with a network, else one
// container; without a network call 0 comes first, alone), and removing
// them and the network.
func benchPeer(b *testing.B, name string, network bool, perService func(context.Context, *peer, int)) {
	ctx := context.Background()
	image, cli := peerSetup(b)
	n := demoSize
	if !network {
		n = 2 * demoSize // one container per call
	}
	var start, stop time.Duration
	for b.Loop() {
		p := &peer{b: b, cli: cli, image: image}
		t0 := time.Now()
		if network {
			p.net = fmt.Sprintf("gd-bench-peer-%d", t0.UnixNano())
			if _, err := cli.NetworkCreate(ctx, p.net, client.NetworkCreateOptions{Driver: "bridge",
				Labels: map[string]string{docker.LabelApp: "1", docker.LabelRun: "gd-bench-peer"}}); err != nil {
				b.Fatal(err)
			}
		}
		first := 0
		if !network {
			perService(ctx, p, 0) // the namespace's owner, before the others join
			first = 1
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, docker.DefaultParallel)
		for i := first; i < n; i++ {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				perService(ctx, p, i)
			})
		}
		wg.Wait()
		t1 := time.Now()
		for _, id := range p.ids {
			wg.Go(func() { cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}) })
		}
		wg.Wait()
		if network {
			if _, err := cli.NetworkRemove(ctx, p.net, client.NetworkRemoveOptions{}); err != nil {
				b.Error(err)
			}
		}
		start += t1.Sub(t0)
		stop += time.Since(t1)
		if len(p.ids) != 2*demoSize {
			b.Fatalf("%d containers, want %d", len(p.ids), 2*demoSize)
		}
	}
	b.ReportMetric(start.Seconds()/float64(b.N), "start-s")
	b.ReportMetric(stop.Seconds()/float64(b.N), "stop-s")
	b.Logf("raw API, %s, %d containers: start %.1fs, remove %.1fs", name, 2*demoSize, start.Seconds()/float64(b.N), stop.Seconds()/float64(b.N))
}

// peerSetup returns the run image (built once) and a Docker client closed
// at the benchmark's end.
func peerSetup(b *testing.B) (string, *client.Client) {
	b.Helper()
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
	b.Cleanup(func() { cli.Close() })
	return image, cli
}
