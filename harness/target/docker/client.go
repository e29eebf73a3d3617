package docker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// DefaultPingTimeout bounds Available's probe of the engine.
const DefaultPingTimeout = 2 * time.Second

// ErrNoEngine wraps every "no Docker engine answers" error, so the harness
// can fall back to the embedded target with a clear message.
var ErrNoEngine = errors.New("no docker engine answers")

var ryukOnce sync.Once

// disableRyuk turns off testcontainers' reaper container: nothing can be
// pulled here, and our own labels, Stop and the sweeper clean up instead.
// It must run before testcontainers first reads its configuration.
//
// It also points testcontainers at 127.0.0.1 for a local engine (a unix
// socket): ports are published on loopback only, and inside a container
// testcontainers would otherwise take the default gateway for the
// engine's host — an address the traffic rule never lets a test reach.
func disableRyuk() {
	ryukOnce.Do(func() {
		if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
			os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
		}
		if _, set := os.LookupEnv("TESTCONTAINERS_HOST_OVERRIDE"); !set && localEngine() {
			os.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
		}
	})
}

// localEngine is true when the Docker host is a unix socket (the default).
func localEngine() bool {
	h := os.Getenv("DOCKER_HOST")
	return h == "" || strings.HasPrefix(h, "unix://")
}

func init() { disableRyuk() }

// newClient returns a Docker API client configured like the docker CLI
// (DOCKER_HOST, DOCKER_CERT_PATH, ...), negotiating the API version.
func newClient() (*client.Client, error) {
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return cli, nil
}

// Available reports whether a Docker engine answers a ping within
// DefaultPingTimeout (or ctx's deadline, if sooner). The error wraps
// ErrNoEngine and names the host it tried, so `--target auto` can say why
// it chose the embedded target.
func Available(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, DefaultPingTimeout)
	defer cancel()
	cli, err := newClient()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoEngine, err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return fmt.Errorf("%w at %s: %w", ErrNoEngine, cli.DaemonHost(), err)
	}
	return nil
}

// Auto picks the target for `--target auto`: "docker" when an engine
// answers, else "embedded". reason says which engine answered, or why
// none did, for the harness to print.
func Auto(ctx context.Context) (name, reason string) {
	if err := Available(ctx); err != nil {
		return "embedded", fmt.Sprintf("%v; using the embedded target", err)
	}
	host := client.DefaultDockerHost
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		host = h
	}
	return "docker", "docker engine at " + host + " answered"
}
