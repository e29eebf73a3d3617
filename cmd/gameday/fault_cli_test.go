package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingSession is a demo session whose control API counts the requests
// it gets, so a test can tell bad input refused by the CLI from bad input
// refused by the demo.
func countingSession(t *testing.T) (*cliShop, *atomic.Int64) {
	t.Helper()
	shop := &cliShop{state: map[string]string{}}
	inj, err := fault.NewInjector(shop, nil, fault.WithForbid("payment"), fault.WithoutSignalRevert())
	require.NoError(t, err)
	t.Cleanup(func() { _ = inj.Close(context.Background()) })
	token := session.NewToken()
	var hits atomic.Int64
	ctl := fault.NewControlServer(inj, token)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		ctl.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "demo.json"))
	_, err = session.Write(session.Info{PID: os.Getpid(), Target: "test", Control: srv.URL, Token: token})
	require.NoError(t, err)
	return shop, &hits
}

// TestFaultBadInput: each bad input gets one clear line and exit 2, and
// nothing reaches the demo.
func TestFaultBadInput(t *testing.T) {
	shop, hits := countingSession(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"list", "extra"}, `gameday fault list: unexpected argument "extra" (it takes none)`},
		{[]string{"list", "--nope"}, "gameday fault list: flag provided but not defined: -nope"},
		{[]string{"kill", "--target", "cart", "--restart-after", "10s", "--duration", "5s"},
			"kill: restart-after 10s is longer than the fault's duration 5s"},
		{[]string{"partition", "--from", "cart", "--duration", "5s"},
			"gameday fault partition: give --to (the callee), or --target naming the callee"},
		{[]string{"partition", "--target", "cart", "--from", "cart", "--duration", "5s"},
			"partition: cart from itself"},
		{[]string{"http", "--target", "cart", "--duration", "5s", "--error-rate", "0.5", "--error-code", "200"},
			"http: error code 200 is not an HTTP error status (400–599)"},
		{[]string{"grpc", "--target", "cart", "--duration", "5s", "--error-rate", "0.5", "--status-code", "0"},
			"grpc: an error rate needs a status code"},
		{[]string{"tcp", "--target", "cart", "--duration", "5s"}, "give exactly one of"},
		{[]string{"tcp", "--target", "cart", "--duration", "5s", "--timeout", "0s"}, "use blackhole for a hang without end"},
		{[]string{"memory", "--target", "cart", "--duration", "5s", "--limit", "20MB"}, "want a size like 20Mi"},
		{[]string{"pause", "--target", "cart", "--duration", "5s", "extra"}, `gameday fault pause: unexpected argument "extra"`},
		{[]string{"pause", "--target", "cart", "--duration", "2h"}, "above the 1h0m0s bound"},
		{[]string{"http", "--nope"}, "gameday fault http: flag provided but not defined: -nope (see 'gameday fault http -h')"},
		{[]string{"explode"}, `gameday fault: unknown kind "explode"`},
		{[]string{"revert"}, "gameday fault revert: give one fault ID or --all"},
		{[]string{"revert", "f1", "f2"}, "gameday fault revert: give one fault ID or --all"},
		{[]string{"revert", "f1", "--all"}, "gameday fault revert: give one fault ID or --all"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			before := hits.Load()
			code, stdout, stderr := gameday(context.Background(), tc.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			assert.Equal(t, before, hits.Load(), "bad input must not reach the demo")
		})
	}
	assert.Empty(t, shop.state, "nothing injected")
}

// TestFaultExitPaths covers the exit codes of `gameday fault` not covered
// by the tests of inject, list, revert and wait above.
func TestFaultExitPaths(t *testing.T) {
	ctx := context.Background()
	code, _, stderr := gameday(ctx)
	assert.Equal(t, exitUsage, code, "no kind")
	assert.Contains(t, stderr, "usage: gameday fault KIND")
	for _, help := range [][]string{{"-h"}, {"http", "-h"}, {"tcp", "--help"}, {"list", "-h"}, {"revert", "-h"}} {
		code, _, stderr := gameday(ctx, help...)
		assert.Equal(t, exitOK, code, "%v", help)
		assert.Contains(t, stderr, "usage: gameday fault", "%v", help)
	}
	_, stderr = func() (int, string) { c, _, e := gameday(ctx, "tcp", "-h"); return c, e }()
	for _, f := range []string{"-latency", "-jitter", "-bandwidth", "-reset", "-timeout", "-blackhole", "-slice-size", "-down", "-limit-data"} {
		assert.Contains(t, stderr, f, "tcp -h lists every tcp kind's flag")
	}

	t.Setenv("GAMEDAY_SESSION", filepath.Join(t.TempDir(), "none.json"))
	for _, args := range [][]string{{"list"}, {"revert", "--all"}, {"http", "--target", "cart", "--duration", "1m", "--delay", "1s"}} {
		code, _, stderr := gameday(ctx, args...)
		assert.Equal(t, exitUsage, code, "%v without a demo", args)
		assert.Contains(t, stderr, "start one with 'gameday demo'")
	}

	shop := startDemoSession(t)
	code, stdout, _ := gameday(ctx, "list")
	assert.Equal(t, exitOK, code, "empty list")
	assert.Empty(t, stdout)
	code, _, stderr = gameday(ctx, "pause", "--target", "payment", "--duration", "1m")
	assert.Equal(t, exitUsage, code, "refused by the demo")
	assert.Contains(t, stderr, "forbidden: payment")
	code, _, stderr = gameday(ctx, "kill", "--target", "cart", "--duration", "1m", "--restart-after", "100ms")
	require.Equal(t, exitOK, code, stderr)
	code, _, _ = gameday(ctx, "pause", "--target", "checkout", "--duration", "1m", "--start", "1m")
	require.Equal(t, exitOK, code)
	code, stdout, _ = gameday(ctx, "revert", "--all")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "reverted f2: pause")
	require.Eventually(t, func() bool { return shop.get("cart") == "" }, 5*time.Second, 10*time.Millisecond,
		"killed service restarted after --restart-after")
}

// TestFaultKindsComeFromTheTable proves the CLI offers exactly the kinds
// and flags of the fault/kind table, and that what it sends parses with
// the same table (the demo's spec parser): one definition per kind.
func TestFaultKindsComeFromTheTable(t *testing.T) {
	offered := map[string]bool{}
	for _, c := range faultCommands() {
		flags := c.flagNames()
		for _, d := range c.defs {
			offered[d.Name] = true
			if len(c.defs) > 1 {
				require.NotEmpty(t, d.Params, "%s shares command %s, so its first flag must pick it", d.Name, c.name)
			}
			for _, p := range d.Params {
				assert.Equal(t, 1, count(flags, p.FlagName()), "flag --%s of %s is ambiguous in %s", p.FlagName(), d.Name, c.name)
			}
		}
	}
	assert.Equal(t, len(kind.Names()), len(offered), "every kind is offered by the CLI")

	// A valid example of every kind, as the CLI would send it.
	examples := map[string]map[string]string{
		"http": {"delay": "1s"}, "grpc": {"error-rate": "1", "status-code": "14"},
		"latency": {"latency": "100ms"}, "bandwidth": {"bandwidth": "10"}, "reset-peer": {"reset": "0s"},
		"timeout": {"timeout": "1s"}, "blackhole": {"blackhole": "true"}, "slicer": {"slice-size": "64"},
		"limit-data": {"limit-data": "1Ki"}, "down": {"down": "true"}, "kill": {"restart-after": "1s"},
		"pause": {}, "partition": {"to": "payment", "from": "cart"}, "memory-limit": {"limit": "20Mi"},
		"cpu-limit": {"cpus": "0.5"},
	}
	for _, d := range kind.Defs() {
		set, ok := examples[d.Name]
		require.True(t, ok, "add an example of the new kind %q", d.Name)
		c, ok := findFaultCommand(d.CommandName())
		require.True(t, ok)
		spec, err := faultSpec(c, set, "cart", "1m", "")
		if d.Name == "partition" {
			spec, err = faultSpec(c, set, "", "1m", "")
		}
		require.NoError(t, err, d.Name)
		assert.Equal(t, d.Name, spec.Kind)
		f, err := kind.Parse(spec.Kind, spec.Params)
		require.NoError(t, err)
		g, err := fault.ParseSpec(f.Kind(), f.Params())
		require.NoError(t, err)
		assert.Equal(t, f, g, "the CLI, the spec parser and the kind table agree on %s", d.Name)
	}
}

// TestNewKindReachesTheCLI registers a kind only this test knows and finds
// it in the CLI with its flags, parsed by the shared table: a new kind
// needs no CLI change.
func TestNewKindReachesTheCLI(t *testing.T) {
	t.Cleanup(kind.Register(kind.Def{Name: "test-drip", Command: "tcp", Layer: kind.LayerTCP,
		Params: []kind.Param{{Key: "every", Flag: "drip", Help: "one byte every this long"}}, Example: map[string]string{"every": "5ms"},
		New: func(r *kind.Reader) kind.Fault { return drip{Every: r.Duration("every")} }}))
	c, ok := findFaultCommand("tcp")
	require.True(t, ok)
	spec, err := faultSpec(c, map[string]string{"drip": "5ms"}, "cart", "1m", "")
	require.NoError(t, err)
	assert.Equal(t, fault.Spec{Kind: "test-drip", Target: "cart", Duration: "1m", Params: map[string]string{"every": "5ms"}}, spec)
	_, err = faultSpec(c, map[string]string{"drip": "-5ms"}, "cart", "1m", "")
	assert.ErrorContains(t, err, "drip: every -5ms is negative")
}

type drip struct{ Every time.Duration }

func (drip) Kind() string { return "test-drip" }
func (d drip) Params() map[string]string {
	return kind.Writer{}.Duration("every", d.Every)
}
func (d drip) String() string { return "tcp drip: every " + d.Every.String() }
func (d drip) Validate() error {
	if d.Every < 0 {
		return errDrip(d.Every.String())
	}
	return nil
}

type errDrip string

func (e errDrip) Error() string { return "drip: every " + string(e) + " is negative" }

func count(l []string, s string) int {
	n := 0
	for _, x := range l {
		if x == s {
			n++
		}
	}
	return n
}
