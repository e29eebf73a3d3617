package dockertest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/binary"
)

// Name is the value of GAMEDAY_SYSTEM that selects this system.
const Name = "dockertest"

// SystemEnv is the variable `gameday serve` reads to pick a system.
const SystemEnv = "GAMEDAY_SYSTEM"

// MaxWide is the largest Wide system.
const MaxWide = 32

// System returns the two-service test system: web (public) → api.
func System() target.System { return Wide(2) }

// Wide returns a system of n services (2 ≤ n ≤ MaxWide): web → api, plus
// n-2 more api-like services named "api-3", "api-4", ... that nothing
// calls — a system the size of the demo for start/stop benchmarks.
func Wide(n int) target.System {
	n = min(max(n, 2), MaxWide)
	env := func() target.Env { return target.Env{SystemEnv: Name} }
	svcs := []target.Service{
		{Name: "web", Protocol: target.HTTP, Deps: []string{"api"}, Env: env(),
			Run: runWeb, Health: "/healthz", Public: true},
		{Name: "api", Protocol: target.HTTP, Env: env(), Run: runAPI, Health: "/healthz"},
	}
	for i := 3; i <= n; i++ {
		svcs = append(svcs, target.Service{Name: fmt.Sprintf("api-%d", i), Protocol: target.HTTP,
			Env: env(), Run: runAPI, Health: "/healthz"})
	}
	return target.System{Name: Name, Services: svcs, Binary: Binary}
}

// Package is the small binary System uses: serve and agent only, with this
// system built in.
const Package = "github.com/gameday-dev/gameday/harness/target/docker/dockertest/cmd/gameday-dockertest"

// Binary builds Package from the module this package is in.
func Binary(ctx context.Context) (string, error) { return build(ctx, Package) }

// GamedayBinary builds the full gameday command instead (its `serve`
// selects this system from GAMEDAY_SYSTEM, which every service's Env sets).
func GamedayBinary(ctx context.Context) (string, error) { return build(ctx, binary.DefaultPackage) }

func build(ctx context.Context, pkg string) (string, error) {
	root, err := binary.SourceModule()
	if err != nil {
		return "", fmt.Errorf("dockertest binary: %w", err)
	}
	return binary.Build(ctx, binary.Config{ModuleDir: root, Package: pkg})
}

// runWeb answers / with "web>" followed by api's answer.
func runWeb(ctx context.Context, ln net.Listener, env target.Env) error {
	api := "http://" + env.Get(target.AddrEnv("api"), "127.0.0.1:1")
	hc := &http.Client{Timeout: 5 * time.Second}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		resp, err := hc.Get(api + "/")
		if err != nil {
			http.Error(w, "api: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		w.WriteHeader(resp.StatusCode)
		fmt.Fprintf(w, "web>%s", body)
	})
	return serve(ctx, ln, mux)
}

// runAPI answers / with "api", and /alloc?mib=N by holding N more MiB.
func runAPI(ctx context.Context, ln net.Listener, env target.Env) error {
	var mu sync.Mutex
	var held [][]byte
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("/alloc", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("mib"))
		if err != nil || n < 0 || n > 1024 {
			http.Error(w, "mib must be 0..1024", http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for range n {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1 // touch every page so it is resident
			}
			held = append(held, b)
		}
		fmt.Fprintf(w, "holding %d MiB", len(held))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api") })
	return serve(ctx, ln, mux)
}

func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-done
		return nil
	}
}
