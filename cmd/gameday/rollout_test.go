package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/session"
)

const rolloutTestFlags = `{"flags":{"paymentFailure":{"state":"ENABLED","defaultVariant":"off",
  "variants":{"off":0,"50%":0.5,"100%":1}}}}`

// rolloutSession serves a flag service and, as `gameday demo` does, the
// proxies' counts on /edges: every read adds 100 client->frontend
// requests, of which the share whose flag evaluation is not "off" fail —
// the counts follow the rollout as real traffic would.
func rolloutSession(t *testing.T) *flags.Server {
	t.Helper()
	token := session.NewToken()
	fsrv, err := flags.NewServer(flags.ServerConfig{Data: []byte(rolloutTestFlags), AdminToken: token})
	require.NoError(t, err)
	t.Cleanup(func() { _ = fsrv.Close() })
	flagsHTTP := httptest.NewServer(fsrv.Handler())
	t.Cleanup(flagsHTTP.Close)
	var mu sync.Mutex
	edge := proxy.Edge{Caller: "client", Callee: "frontend", Outcomes: map[string]uint64{}}
	ctrl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != harness.EdgesPath || r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for i := range 100 {
			res := fsrv.Flags().Evaluate("paymentFailure", map[string]any{flags.TargetingKey: fmt.Sprintf("k%d-%d", edge.Requests, i)})
			edge.Requests++
			if res.Variant != "off" {
				edge.Outcomes["5xx"]++
			} else {
				edge.Outcomes["2xx"]++
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"edges": []proxy.Edge{edge}})
	}))
	t.Cleanup(ctrl.Close)
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))
	_, err = session.Write(session.Info{PID: os.Getpid(), Target: "test", Flags: flagsHTTP.URL, Control: ctrl.URL, Token: token})
	require.NoError(t, err)
	return fsrv
}

func gamedayRollout(ctx context.Context, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := dispatch(ctx, append([]string{"rollout"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// The guard breaks at the 10% step (10% of requests failing is 10× a 99%
// objective's budget): the CLI reverts the flag and exits 1.
func TestRolloutCLIRevertsOnBreach(t *testing.T) {
	fsrv := rolloutSession(t)
	code, out, errOut := gamedayRollout(t.Context(), "paymentFailure", "100%", "--steps", "1,10,50,100",
		"--dwell", "1500ms", "--guard", "client->frontend", "--objective", "99")
	t.Log(out, errOut)
	assert.Equal(t, exitGate, code)
	assert.Contains(t, out, "step 2/4")
	assert.NotContains(t, out, "step 3/4", "the guard must revert before 50%")
	assert.Contains(t, out, "reverted paymentFailure to off at step 2 (10%)")
	assert.Equal(t, "off", fsrv.Flags().Evaluate("paymentFailure", map[string]any{flags.TargetingKey: "x"}).Variant)
	st, err := fsrv.Targeting("paymentFailure")
	require.NoError(t, err)
	assert.False(t, st.Overridden, "the fractional override must be gone after the revert")
}

// Unguarded, the same rollout completes and leaves the flag at the variant.
func TestRolloutCLICompletesUnguarded(t *testing.T) {
	fsrv := rolloutSession(t)
	code, out, _ := gamedayRollout(t.Context(), "paymentFailure", "50%", "--steps", "50,100", "--dwell", "200ms")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "completed in 2 steps, unguarded")
	assert.Equal(t, "50%", fsrv.Flags().Evaluate("paymentFailure", nil).Variant)
}

func TestRolloutCLIBadInput(t *testing.T) {
	rolloutSession(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"paymentFailure"}, "want FLAG VARIANT"},
		{[]string{"paymentFailure", "100%", "--steps", "50,10"}, "shares must increase"},
		{[]string{"paymentFailure", "100%", "--steps", "10,x"}, "not a percentage"},
		{[]string{"paymentFailure", "100%", "--steps", "10,50"}, "must be 1"},
		{[]string{"paymentFailure", "100%", "--guard", "frontend"}, "CALLER->CALLEE"},
		{[]string{"paymentFailure", "100%", "--objective", "100"}, "--objective"},
		{[]string{"paymentFailure", "sometimes"}, "sometimes"},
		{[]string{"nope", "on"}, "nope"},
	}
	for _, c := range cases {
		code, _, errOut := gamedayRollout(t.Context(), c.args...)
		assert.Equal(t, exitUsage, code, c.args)
		assert.Contains(t, errOut, c.want, c.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line for %v: %q", c.args, errOut)
	}
}
