package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cliShop is a running system whose services can be paused and killed.
type cliShop struct {
	mu    sync.Mutex
	state map[string]string
}

func (s *cliShop) Kind() string                { return "test" }
func (s *cliShop) Services() []string          { return []string{"cart", "checkout", "payment"} }
func (s *cliShop) Addr(string) (string, error) { return "127.0.0.1:0", nil }
func (s *cliShop) Stop(context.Context) error  { return nil }
func (s *cliShop) set(svc, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v == "" {
		delete(s.state, svc)
	} else {
		s.state[svc] = v
	}
	return nil
}
func (s *cliShop) get(svc string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state[svc]
}
func (s *cliShop) Pause(_ context.Context, svc string) error   { return s.set(svc, "paused") }
func (s *cliShop) Unpause(_ context.Context, svc string) error { return s.set(svc, "") }
func (s *cliShop) Kill(_ context.Context, svc string) error    { return s.set(svc, "killed") }
func (s *cliShop) Start(_ context.Context, svc string) error   { return s.set(svc, "") }

// startDemoSession serves a control API over a cliShop and writes the
// session file a running `gameday demo` would.
func startDemoSession(t *testing.T) *cliShop {
	t.Helper()
	shop := &cliShop{state: map[string]string{}}
	inj, err := fault.NewInjector(shop, nil, fault.WithForbid("payment"), fault.WithoutSignalRevert())
	require.NoError(t, err)
	t.Cleanup(func() { _ = inj.Close(context.Background()) })
	token := session.NewToken()
	srv := httptest.NewServer(fault.NewControlServer(inj, token))
	t.Cleanup(srv.Close)
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))
	_, err = session.Write(session.Info{PID: os.Getpid(), Target: "test", Control: srv.URL, Token: token})
	require.NoError(t, err)
	return shop
}

func gameday(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := dispatch(ctx, append([]string{"fault"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFaultWithoutDemo(t *testing.T) {
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "none.json"))
	code, _, stderr := gameday(context.Background(), "pause", "--target", "cart", "--duration", "1m")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "start one with 'gameday demo'")
}

func TestFaultBadFlags(t *testing.T) {
	startDemoSession(t)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"http", "--target", "cart", "--duration", "1m", "--error-rate", "2", "--variation", "1s"},
			[]string{"error rate 2 is outside 0–1", "an error rate needs an error code", "variation 1s is above"}},
		{[]string{"pause", "--target", "cart"}, []string{"duration is required"}},
		{[]string{"pause", "--duration", "1m"}, []string{"target is required"}},
		{[]string{"http", "--target", "cart", "--duration", "soon", "--delay", "1s"}, []string{`duration "soon"`}},
		{[]string{"tcp", "--target", "cart", "--duration", "1m", "--latency", "1s", "--down"},
			[]string{"give exactly one of", "got 2: --down --latency"}},
		{[]string{"tcp", "--target", "cart", "--duration", "1m", "--bandwidth", "10", "--jitter", "1ms"},
			[]string{"--jitter does not apply to bandwidth (it takes --bandwidth)"}},
		{[]string{"http", "--nope"}, []string{"flag provided but not defined: -nope"}},
		{[]string{"explode"}, []string{`unknown kind "explode" (kinds: cpu, grpc, http, kill, memory, partition, pause, tcp;`}},
		{[]string{"pause", "--target", "payment", "--duration", "1m"}, []string{"forbidden: payment"}},
		{[]string{"pause", "--target", "c*", "--duration", "1m"}, []string{"(2 matched, 1 allowed); matched cart, checkout"}},
	}
	for _, tc := range cases {
		code, _, stderr := gameday(context.Background(), tc.args...)
		assert.Equal(t, exitUsage, code, "%v", tc.args)
		for _, w := range tc.want {
			assert.Contains(t, stderr, w, "%v", tc.args)
		}
	}
}

func TestFaultInjectListRevert(t *testing.T) {
	shop := startDemoSession(t)
	ctx := context.Background()
	code, stdout, stderr := gameday(ctx, "pause", "--target", "cart", "--duration", "1m")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "injected f1: pause into cart from ")
	assert.Contains(t, stdout, "revert early with 'gameday fault revert f1'")
	assert.Equal(t, "paused", shop.get("cart"))

	code, stdout, _ = gameday(ctx, "list")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `^f1\s+active\s+cart\s+pause until \d\d:\d\d:\d\d\n$`, stdout)

	code, stdout, _ = gameday(ctx, "revert", "f1")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "reverted f1: pause\n", stdout)
	assert.Empty(t, shop.get("cart"))

	code, _, stderr = gameday(ctx, "revert", "f7")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `no fault "f7" (404)`)
}

func TestFaultWaitRevertsOnCtrlC(t *testing.T) {
	shop := startDemoSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan string)
	go func() {
		code, stdout, _ := gameday(ctx, "kill", "--target", "checkout", "--duration", "1m", "--wait")
		done <- strings.TrimSpace(stdout) + " exit=" + string(rune('0'+code))
	}()
	require.Eventually(t, func() bool { return shop.get("checkout") == "killed" }, 5*time.Second, 10*time.Millisecond)
	cancel() // what Ctrl-C does to the command's context
	out := <-done
	assert.Contains(t, out, "reverted f1: kill: restart at the end (reverted)")
	assert.True(t, strings.HasSuffix(out, "exit=0"), out)
	assert.Empty(t, shop.get("checkout"))
}

func TestFaultWaitUntilTheEnd(t *testing.T) {
	shop := startDemoSession(t)
	code, stdout, stderr := gameday(context.Background(), "pause", "--target", "cart", "--duration", "300ms", "--wait")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "reverted f1: pause (ended)")
	assert.Empty(t, shop.get("cart"))
}
