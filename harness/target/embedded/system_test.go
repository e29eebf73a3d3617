package embedded

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode)) // this binary runs as a process service
	}
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/gameday-dev/gameday/harness/target/embedded.spawnLoop"))
}

// httpRun serves h on ln until ctx ends, like a service's main would.
func httpRun(h func(env target.Env) http.Handler) func(context.Context, net.Listener, target.Env) error {
	return func(ctx context.Context, ln net.Listener, env target.Env) error {
		srv := &http.Server{Handler: h(env)}
		stop := context.AfterFunc(ctx, func() { _ = srv.Close() })
		defer stop()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// testSystem: frontend → backend (HTTP), frontend → store (TCP echo).
func testSystem() target.System {
	backend := target.Service{Name: "backend", Health: "/healthz",
		Run: httpRun(func(target.Env) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "backend") })
		})}
	frontend := target.Service{Name: "frontend", Deps: []string{"backend", "store"}, Health: "/healthz",
		Env: target.Env{"GREETING": "front"},
		Run: httpRun(func(env target.Env) http.Handler {
			client := &http.Client{Timeout: 300 * time.Millisecond,
				Transport: &http.Transport{DisableKeepAlives: true}}
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/healthz" {
					return
				}
				resp, err := client.Get("http://" + env.Get(target.AddrEnv("backend"), "") + "/")
				if err != nil {
					http.Error(w, "backend: "+err.Error(), http.StatusBadGateway)
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				fmt.Fprintf(w, "%s+%s", env.Get("GREETING", "?"), b)
			})
		})}
	store := target.Service{Name: "store", Protocol: target.TCP,
		Run: func(ctx context.Context, ln net.Listener, _ target.Env) error {
			stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
			defer stop()
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
		}}
	return target.System{Name: "test", Services: []target.Service{frontend, backend, store}}
}

// start runs sys on the embedded target and stops it at cleanup.
func start(tb testing.TB, sys target.System) *Running {
	tb.Helper()
	tg, err := NewWithConfig(Config{ReadyTimeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	r, err := tg.StartSystem(context.Background(), sys)
	if err != nil {
		tb.Fatalf("start: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			tb.Errorf("stop: %v", err)
		}
	})
	return r
}

func fetch(tb testing.TB, addr, path string) (int, string) {
	tb.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get("http://" + addr + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
