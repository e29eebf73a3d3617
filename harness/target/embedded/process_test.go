package embedded

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperProc is a process service running this test binary in mode.
func helperProc(t *testing.T, name, mode string) target.Service {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	return target.Service{Name: name, Health: "/healthz",
		Env:     target.Env{helperEnv: mode, "NAME": name},
		Process: &target.Process{Path: exe, InheritEnv: true, ListenEnv: "LISTEN_ADDR"}}
}

// logLines collects what the target logs.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(s string) { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }
func (l *logLines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func startWith(t *testing.T, cfg Config, sys target.System) *Running {
	t.Helper()
	if cfg.ReadyTimeout == 0 {
		cfg.ReadyTimeout = 10 * time.Second
	}
	tg, err := NewWithConfig(cfg)
	require.NoError(t, err)
	r, err := tg.StartSystem(context.Background(), sys)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, r.Stop(ctx))
	})
	return r
}

func TestProcessServicesStartWiredWithLogs(t *testing.T) {
	back := helperProc(t, "backend", "http")
	front := helperProc(t, "frontend", "http")
	front.Process.ListenEnv = ""
	front.Process.Args = []string{"-addr", "{addr}"} // told where to listen by a placeholder
	front.Env["OWN_PORT"] = "{port}"
	front.Calls = []target.Call{{Service: "backend", Env: "BACKEND_URL", Format: "http://{addr}"}}
	front.Deps = []string{"backend"} // the demo's convention works for programs too
	var logs logLines
	dir := t.TempDir()
	begin := time.Now()
	r := startWith(t, Config{Log: logs.add, ArtifactDir: dir},
		target.System{Name: "procs", Services: []target.Service{front, back}})
	t.Logf("two process services ready in %v", time.Since(begin))

	addr, err := r.Addr("frontend")
	require.NoError(t, err)
	code, body := fetch(t, addr, "/")
	assert.Equal(t, 200, code)
	assert.Equal(t, "frontend+backend", body)

	direct, _ := r.DirectAddr("frontend")
	_, port, _ := net.SplitHostPort(direct)
	_, own := fetch(t, addr, "/env?k=OWN_PORT")
	assert.Equal(t, port, own, "{port} in Env is the program's own port")
	_, url := fetch(t, addr, "/env?k=BACKEND_URL")
	backDirect, _ := r.DirectAddr("backend")
	assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	assert.NotEqual(t, "http://"+backDirect, url, "the caller's own variable points at the edge proxy")
	_, depAddr := fetch(t, addr, "/env?k=BACKEND_ADDR")
	assert.Equal(t, strings.TrimPrefix(url, "http://"), depAddr, "Deps and Calls to one callee share its edge")

	edges, err := r.Edges(context.Background())
	require.NoError(t, err)
	counts := map[string]uint64{}
	for _, e := range edges {
		counts[e.Caller+"->"+e.Callee] = e.Requests
	}
	assert.Equal(t, uint64(1), counts["frontend->backend"])

	assert.Contains(t, logs.text(), "backend | listening on "+backDirect)
	assert.Contains(t, logs.text(), "frontend | helper stderr line")
	b, err := os.ReadFile(filepath.Join(dir, "logs", "backend.log"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "helper stderr line")

	begin = time.Now()
	require.NoError(t, r.Stop(context.Background()))
	t.Logf("teardown in %v", time.Since(begin))
	assert.Contains(t, logs.text(), "backend | got SIGTERM, bye", "stopped with SIGTERM first")
	_, err = net.DialTimeout("tcp", backDirect, time.Second)
	assert.Error(t, err, "the program is gone")
}

func TestProcessIgnoringSIGTERMIsKilledAfterGrace(t *testing.T) {
	svc := helperProc(t, "stubborn", "http")
	svc.Env["IGNORE_TERM"] = "1"
	svc.Process.GracePeriod = 300 * time.Millisecond
	var logs logLines
	r := startWith(t, Config{Log: logs.add}, target.System{Name: "stubborn", Services: []target.Service{svc}})
	pi := r.services["stubborn"].current().(*procInstance)
	begin := time.Now()
	require.NoError(t, r.Stop(context.Background()))
	took := time.Since(begin)
	assert.GreaterOrEqual(t, took, 300*time.Millisecond, "it had its grace period")
	assert.Contains(t, logs.text(), "stubborn | ignoring SIGTERM")
	assert.ErrorIs(t, syscall.Kill(pi.cmd.Process.Pid, 0), syscall.ESRCH, "then SIGKILL ended it")
}

func TestProcessThatExitsOrIsMissingIsAClearError(t *testing.T) {
	svc := helperProc(t, "quitter", "exit")
	var logs logLines
	tg, _ := NewWithConfig(Config{ReadyTimeout: 5 * time.Second, Log: logs.add})
	_, err := tg.Start(context.Background(), target.System{Name: "q", Services: []target.Service{svc}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service quitter exited before it was ready: exit status 3")
	assert.Contains(t, logs.text(), "gameday: quitter: exited with code 3")
	assert.Contains(t, logs.text(), "quitter | helper: nothing to do")

	missing := target.Service{Name: "ghost", Process: &target.Process{Path: "./no/such/program"}}
	_, err = tg.Start(context.Background(), target.System{Name: "g", Services: []target.Service{missing}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "service ghost: program ./no/such/program")
}

func TestProcessKillStopStartPause(t *testing.T) {
	back := helperProc(t, "backend", "http")
	front := helperProc(t, "frontend", "http")
	front.Calls = []target.Call{{Service: "backend", Env: "BACKEND_URL", Format: "http://{addr}"}}
	r := startWith(t, Config{}, target.System{Name: "life", Services: []target.Service{front, back}})
	ctx := context.Background()
	front1, _ := r.Addr("frontend")
	direct, _ := r.DirectAddr("backend")

	require.NoError(t, r.Kill(ctx, "backend"))
	evs := r.events.All()
	assert.Empty(t, evs, "a kill the harness asked for is no lifecycle event of the program's")
	_, err := net.DialTimeout("tcp", direct, time.Second)
	assert.Error(t, err, "a killed program's port refuses")
	code, _ := fetch(t, front1, "/")
	assert.Equal(t, 502, code)
	st, _ := r.State(ctx, "backend")
	assert.False(t, st.Running)
	exited, err := r.Exited("backend")
	assert.True(t, exited)
	assert.ErrorContains(t, err, "signal: killed")

	require.NoError(t, r.Start(ctx, "backend"))
	again, _ := r.DirectAddr("backend")
	assert.Equal(t, direct, again, "restarted on the same port")
	_, body := fetch(t, front1, "/")
	assert.Equal(t, "frontend+backend", body)

	require.NoError(t, r.StopService(ctx, "backend"))
	exited, err = r.Exited("backend")
	assert.True(t, exited)
	assert.NoError(t, err, "a stopped program ended on its SIGTERM, cleanly")
	require.NoError(t, r.Start(ctx, "backend"))
	st, _ = r.State(ctx, "backend")
	assert.True(t, st.Running)
	assert.Equal(t, 2, st.Restarts)

	require.NoError(t, r.Pause(ctx, "backend"))
	pid := r.services["backend"].current().(*procInstance).cmd.Process.Pid
	assert.Equal(t, "T", procState(t, pid), "SIGSTOP stopped the program")
	code, _ = fetch(t, front1, "/")
	assert.Equal(t, 502, code, "the caller's 2 s timeout fires on a paused program")
	require.NoError(t, r.Unpause(ctx, "backend"))
	_, body = fetch(t, front1, "/")
	assert.Equal(t, "frontend+backend", body)
}

// procState is the one-letter state in /proc/PID/stat (R, S, T, Z...).
func procState(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", itoa(pid), "stat"))
	require.NoError(t, err)
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
}

func TestProcessStartsAfterTheServicesItCalls(t *testing.T) {
	back := helperProc(t, "backend", "http")
	back.Env["START_DELAY"] = "300ms"
	front := helperProc(t, "frontend", "http")
	front.Env["CHECK_BACKEND_AT_START"] = "1"
	front.Calls = []target.Call{{Service: "backend", Env: "BACKEND_URL", Format: "http://{addr}"}}
	r := startWith(t, Config{}, target.System{Name: "order", Services: []target.Service{front, back}})
	addr, _ := r.Addr("frontend")
	_, body := fetch(t, addr, "/")
	assert.Equal(t, "frontend+backend", body)
}

// After orders starts without an edge: the worker needs what the backend
// leaves at start (a file here; a schema, a topic, a seeded store in life).
func TestProcessStartsAfterItsAfter(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	back := helperProc(t, "backend", "http")
	back.Env["START_DELAY"] = "300ms"
	back.Env["READY_FILE"] = ready
	worker := helperProc(t, "worker", "http")
	worker.Env["REQUIRE_FILE"] = ready
	worker.After = []string{"backend"}
	r := startWith(t, Config{}, target.System{Name: "after", Services: []target.Service{worker, back}})
	_, err := r.Addr("worker")
	require.NoError(t, err)

	bad := target.System{Name: "after", Services: []target.Service{worker, back}}
	bad.Services[0].After = []string{"nosuch"}
	assert.ErrorContains(t, bad.Validate(), `starts after unknown service "nosuch"`)
}
