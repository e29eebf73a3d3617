package fault_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/embedded"
	"github.com/gameday-dev/gameday/harness/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// These tests run every kind the embedded target supports end to end:
// a small system (web → api over HTTP, and a TCP echo service) on
// loopback, faults through the real fault proxies, requests to see them.

var httpClient = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

func httpService(h http.HandlerFunc) func(context.Context, net.Listener, target.Env) error {
	return func(ctx context.Context, ln net.Listener, _ target.Env) error {
		srv := &http.Server{Handler: h}
		defer context.AfterFunc(ctx, func() { srv.Close() })()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func echoService(ctx context.Context, ln net.Listener, _ target.Env) error {
	defer context.AfterFunc(ctx, func() { ln.Close() })()
	for {
		c, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func() {
			defer c.Close()
			_, _ = io.Copy(c, c)
		}()
	}
}

func tinySystem() target.System {
	return target.System{Name: "tiny", Services: []target.Service{
		{Name: "api", Protocol: target.HTTP, Run: httpService(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "ok")
		})},
		{Name: "web", Protocol: target.HTTP, Deps: []string{"api"}, Run: func(ctx context.Context, ln net.Listener, env target.Env) error {
			api := env.Get(target.AddrEnv("api"), "")
			client := &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
			return httpService(func(w http.ResponseWriter, r *http.Request) {
				resp, err := client.Get("http://" + api + "/")
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadGateway)
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				w.WriteHeader(resp.StatusCode)
				fmt.Fprintf(w, "page with %s", b)
			})(ctx, ln, env)
		}},
		{Name: "echo", Protocol: target.TCP, Run: echoService},
	}}
}

func startTiny(t *testing.T, opts ...fault.Option) (*fault.Injector, target.Running) {
	t.Helper()
	ctx := context.Background()
	run, err := embedded.New().Start(ctx, tinySystem())
	if run != nil {
		t.Cleanup(func() { _ = run.Stop(ctx) })
	}
	require.NoError(t, err)
	inj, err := fault.NewInjector(run, timeline.New(time.Now()), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = inj.Close(ctx) })
	return inj, run
}

// get returns the status of GET http://addr/ (0 when the request failed)
// and how long it took.
func get(t *testing.T, run target.Running, svc string) (int, time.Duration) {
	t.Helper()
	addr, err := run.Addr(svc)
	require.NoError(t, err)
	start := time.Now()
	resp, err := httpClient.Get("http://" + addr + "/")
	if err != nil {
		return 0, time.Since(start)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, time.Since(start)
}

// echo sends a line to the echo service and returns how long the answer
// took, or an error.
func echo(t *testing.T, run target.Running) (time.Duration, error) {
	t.Helper()
	addr, err := run.Addr("echo")
	require.NoError(t, err)
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return 0, err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return 0, err
	}
	if line != "ping\n" {
		return 0, fmt.Errorf("echo answered %q", line)
	}
	return time.Since(start), nil
}

func TestEmbeddedHTTPErrorsAndDelay(t *testing.T) {
	inj, run := startTiny(t)
	ctx := context.Background()
	code, _ := get(t, run, "web")
	require.Equal(t, http.StatusOK, code)

	i, err := inj.Inject(ctx, "api", fault.HTTP{ErrorRate: 1, ErrorCode: 503}, fault.For(time.Minute))
	require.NoError(t, err)
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusServiceUnavailable, code, "web passes api's injected 503 on")
	require.NoError(t, i.Revert(ctx))
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusOK, code)

	i, err = inj.Inject(ctx, "api", fault.HTTP{AverageDelay: 300 * time.Millisecond}, fault.For(time.Minute))
	require.NoError(t, err)
	code, took := get(t, run, "api")
	assert.Equal(t, http.StatusOK, code)
	assert.GreaterOrEqual(t, took, 250*time.Millisecond)
	require.NoError(t, i.Revert(ctx))
	_, took = get(t, run, "api")
	assert.Less(t, took, 250*time.Millisecond)
}

func TestEmbeddedFaultEndsWithItsSchedule(t *testing.T) {
	inj, run := startTiny(t)
	i, err := inj.Inject(context.Background(), "api", fault.HTTP{ErrorRate: 1, ErrorCode: 500}, fault.For(200*time.Millisecond))
	require.NoError(t, err)
	code, _ := get(t, run, "api")
	assert.Equal(t, http.StatusInternalServerError, code)
	require.NoError(t, i.Wait(context.Background()))
	code, _ = get(t, run, "api")
	assert.Equal(t, http.StatusOK, code)
}

// The proxy drops a fault by itself after its TTL, so a harness that dies
// without reverting (go test -timeout runs no cleanups) leaves nothing.
func TestEmbeddedProxyTTLEndsAnUnrevertedFault(t *testing.T) {
	_, run := startTiny(t)
	_, err := fault.Apply(context.Background(), fault.HTTP{ErrorRate: 1, ErrorCode: 500}, run, "api", 200*time.Millisecond)
	require.NoError(t, err)
	code, _ := get(t, run, "api")
	require.Equal(t, http.StatusInternalServerError, code)
	assert.Eventually(t, func() bool { c, _ := get(t, run, "api"); return c == http.StatusOK },
		3*time.Second, 50*time.Millisecond)
}

func TestEmbeddedTCPKinds(t *testing.T) {
	inj, run := startTiny(t)
	ctx := context.Background()
	base, err := echo(t, run)
	require.NoError(t, err)

	i, err := inj.Inject(ctx, "echo", fault.Latency{Latency: 200 * time.Millisecond}, fault.For(time.Minute))
	require.NoError(t, err)
	took, err := echo(t, run)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 150*time.Millisecond, "baseline was %v", base)
	require.NoError(t, i.Revert(ctx))

	for _, f := range []fault.Fault{fault.Down{}, fault.ResetPeer{}, fault.Blackhole{}, fault.LimitData{Bytes: 1}} {
		i, err := inj.Inject(ctx, "echo", f, fault.For(time.Minute))
		require.NoError(t, err, f.String())
		_, err = echo(t, run)
		assert.Error(t, err, "%s should break the echo", f)
		require.NoError(t, i.Revert(ctx))
		require.Eventually(t, func() bool { _, err := echo(t, run); return err == nil },
			3*time.Second, 50*time.Millisecond, "echo back after %s", f)
	}
}

func TestEmbeddedLifecycleKinds(t *testing.T) {
	inj, run := startTiny(t)
	ctx := context.Background()

	i, err := inj.Inject(ctx, "api", fault.Kill{}, fault.For(time.Minute))
	require.NoError(t, err)
	code, _ := get(t, run, "web")
	assert.Equal(t, http.StatusBadGateway, code, "web cannot reach a killed api")
	require.NoError(t, i.Revert(ctx))
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusOK, code, "api restarted on revert")

	i, err = inj.Inject(ctx, "web", fault.Partition{To: "api"}, fault.For(time.Minute))
	require.NoError(t, err)
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusBadGateway, code, "web → api is cut")
	code, _ = get(t, run, "api")
	assert.Equal(t, http.StatusOK, code, "the harness still reaches api")
	require.NoError(t, i.Revert(ctx))
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusOK, code)

	i, err = inj.Inject(ctx, "api", fault.Pause{}, fault.For(time.Minute))
	require.NoError(t, err)
	code, took := get(t, run, "web")
	assert.Equal(t, http.StatusBadGateway, code, "web times out on a paused api")
	assert.GreaterOrEqual(t, took, 400*time.Millisecond)
	require.NoError(t, i.Revert(ctx))
	code, _ = get(t, run, "web")
	assert.Equal(t, http.StatusOK, code)
}

func TestEmbeddedRefusesContainerOnlyKinds(t *testing.T) {
	inj, _ := startTiny(t)
	for _, f := range []fault.Fault{fault.MemoryLimit{Bytes: 20 << 20}, fault.CPULimit{CPUs: 0.5}} {
		_, err := inj.Inject(context.Background(), "api", f, fault.For(time.Minute))
		assert.ErrorIs(t, err, target.ErrUnsupported, f.String())
	}
	for _, i := range inj.Injections() {
		assert.Equal(t, fault.Failed, i.State())
	}
	assert.Empty(t, inj.Timeline().Windows(), "nothing went in")
}

func TestEmbeddedGRPCStatus(t *testing.T) {
	sys := target.System{Name: "rpc", Services: []target.Service{{Name: "payment", Protocol: target.GRPC,
		Run: func(ctx context.Context, ln net.Listener, _ target.Env) error {
			srv := grpc.NewServer()
			healthpb.RegisterHealthServer(srv, health.NewServer())
			defer context.AfterFunc(ctx, srv.Stop)()
			return srv.Serve(ln)
		}}}}
	ctx := context.Background()
	run, err := embedded.New().Start(ctx, sys)
	if run != nil {
		t.Cleanup(func() { _ = run.Stop(ctx) })
	}
	require.NoError(t, err)
	inj, err := fault.NewInjector(run, nil)
	require.NoError(t, err)
	addr, err := run.Addr("payment")
	require.NoError(t, err)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	check := func() codes.Code {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		return status.Code(err)
	}
	require.Equal(t, codes.OK, check())
	i, err := inj.Inject(ctx, "payment", fault.GRPC{ErrorRate: 1, StatusCode: int(codes.Unavailable),
		StatusMessage: "payment down"}, fault.For(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, codes.Unavailable, check())
	require.NoError(t, i.Revert(ctx))
	assert.Equal(t, codes.OK, check())
}
