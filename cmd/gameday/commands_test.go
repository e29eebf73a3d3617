package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/session"
)

// flagService serves the OpenTelemetry demo's flags with an admin token.
func flagService(t *testing.T) (url, token string) {
	t.Helper()
	data, err := os.ReadFile("../../harness/flags/testdata/otel-demo.flagd.json")
	if err != nil {
		t.Fatal(err)
	}
	token = session.NewToken()
	srv, err := flags.NewServer(flags.ServerConfig{Data: data, AdminToken: token})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); _ = srv.Close(); <-done })
	return "http://" + ln.Addr().String(), token
}

// Every exit path of `gameday flags`.
func TestFlagsExitCodes(t *testing.T) {
	url, token := flagService(t)
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))

	code, out, stderr := cli(t.Context(), "flags", "list", "--flags", url)
	if code != exitOK || !strings.Contains(out, "paymentFailure") {
		t.Errorf("list: exit %d, %q %q", code, out, stderr)
	}
	code, out, stderr = cli(t.Context(), "flags", "set", "paymentFailure", "50%", "--flags", url, "--token", token)
	if code != exitOK || out != "paymentFailure = 50%\n" {
		t.Errorf("set: exit %d, %q %q", code, out, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"flags", "set", "paymentFailure", "50%", "--flags", url, "--token", "wrong"}, "gameday flags set:"},
		{[]string{"flags", "set", "noSuchFlag", "on", "--flags", url, "--token", token}, "gameday flags set:"},
		{[]string{"flags", "set", "paymentFailure", "noSuchVariant", "--flags", url, "--token", token}, "gameday flags set:"},
		{[]string{"flags", "list", "--flags", closedURL(t)}, "gameday flags list:"},
	} {
		code, _, stderr := cli(t.Context(), c.args...)
		if code != exitUsage || !strings.HasPrefix(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line %q…", c.args, code, stderr, c.want)
		}
	}

	// From a running demo's session file, without --flags.
	remove, err := session.Write(session.Info{PID: os.Getpid(), Flags: url, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	code, out, stderr = cli(t.Context(), "flags", "set", "paymentFailure", "off")
	if code != exitOK || out != "paymentFailure = off\n" {
		t.Errorf("set through the session: exit %d, %q %q", code, out, stderr)
	}
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// noEngine points the docker client at a socket nothing serves.
func noEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "nonexistent.sock"))
}

// fakeEngine serves the Docker API's list endpoints, empty, on a unix
// socket: `gameday clean` on a machine with nothing to remove, without
// touching the real engine (which other runs may be using).
func fakeEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.47")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			_, _ = w.Write([]byte("OK"))
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/volumes"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"Volumes":[]}`))
		case r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("[]"))
		case strings.HasSuffix(r.URL.Path, "/prune"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{}"))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	t.Setenv("DOCKER_HOST", "unix://"+sock)
}

// Every exit path of `gameday clean` but a failing removal.
func TestCleanExitCodes(t *testing.T) {
	noEngine(t)
	code, _, stderr := cli(t.Context(), "clean")
	if code != exitUsage || !strings.HasPrefix(stderr, "gameday clean:") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("no engine: exit %d, stderr %q; want 2 and one line", code, stderr)
	}
	fakeEngine(t)
	code, out, stderr := cli(t.Context(), "clean")
	if code != exitOK || !strings.Contains(out, "clean: done") {
		t.Errorf("empty engine: exit %d, %q %q", code, out, stderr)
	}
}

// `gameday demo`: no engine for --target docker is exit 2 in one line;
// --smoke walks the shop and exits 0; serving ends with exit 0 and its
// session file removed when the context ends (Ctrl-C).
func TestDemoExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the embedded demo shop twice (a few seconds)")
	}
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))
	noEngine(t)
	code, _, stderr := cli(t.Context(), "demo", "--target", "docker")
	if code != exitUsage || !strings.Contains(stderr, "gameday demo:") {
		t.Errorf("docker without an engine: exit %d, stderr %q", code, stderr)
	}

	code, out, stderr := cli(t.Context(), "demo", "--smoke")
	if code != exitOK || !strings.Contains(out, "smoke: ok") || !strings.HasPrefix(out, "frontend http://127.0.0.1:") {
		t.Errorf("smoke: exit %d\n%s\n%s", code, out, stderr)
	}

	ctx, cancel := context.WithCancel(t.Context())
	codes := make(chan int, 1)
	go func() { c, _, _ := cli(ctx, "demo"); codes <- c }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if info, err := session.Read(); err == nil && info.Flags != "" {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("the demo wrote no session file within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if c := <-codes; c != exitOK {
		t.Errorf("demo stopped by its context: exit %d", c)
	}
	if _, err := session.Read(); err == nil {
		t.Error("the session file is still there after the demo stopped")
	}
}

// A smoke journey that meets a failing shop is an error (the demo exits 1).
func TestSmokeFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/checkout" {
			http.Error(w, `{"error":"payment unavailable: breaker open"}`, http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	var out strings.Builder
	err := runSmoke(t.Context(), srv.URL, &out)
	if err == nil || !strings.Contains(err.Error(), "checkout") || strings.Contains(out.String(), "smoke: ok") {
		t.Errorf("smoke against a failing checkout: %v\n%s", err, out.String())
	}
}
