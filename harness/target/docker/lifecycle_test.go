package docker_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// waitFor polls cond every 100ms for up to d.
func waitFor(t *testing.T, d time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}

func TestKillWithRestartPolicyRestartsAndIsOnTheEvents(t *testing.T) {
	ctx := context.Background()
	run := startTB(t, docker.WithRestartPolicy("on-failure"))
	web, _ := run.Addr("web")

	require.NoError(t, run.Kill(ctx, "api"))
	require.True(t, waitFor(t, 20*time.Second, func() bool {
		st, err := run.State(ctx, "api")
		return err == nil && st.Running && st.Restarts == 1
	}), "api restarted by its policy")
	require.True(t, waitFor(t, 10*time.Second, func() bool {
		code, body := get(t, "http://"+web+"/")
		return code == 200 && body == "web>api"
	}), "web reaches the restarted api")

	kinds := map[string]int{}
	for _, ev := range run.Events() {
		assert.Equal(t, "api", ev.Service)
		kinds[ev.Kind]++
	}
	assert.Equal(t, 1, kinds[docker.KindExit])
	assert.Equal(t, 1, kinds[timeline.TargetRestart])
	assert.Zero(t, kinds[timeline.TargetOOM])
}

func TestKillWithoutPolicyStaysDownUntilStart(t *testing.T) {
	ctx := context.Background()
	run := startTB(t)
	web, _ := run.Addr("web")
	got := make(chan docker.Event, 10)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go run.Watch(wctx, func(ev docker.Event) { got <- ev })

	require.NoError(t, run.Kill(ctx, "api"))
	select {
	case ev := <-got:
		assert.Equal(t, docker.KindExit, ev.Kind)
		assert.Equal(t, 137, ev.ExitCode, "SIGKILL")
	case <-time.After(10 * time.Second):
		t.Fatal("no exit event")
	}
	st, err := run.State(ctx, "api")
	require.NoError(t, err)
	assert.False(t, st.Running)
	code, _ := get(t, "http://"+web+"/")
	assert.Equal(t, 502, code, "api is down, web says so")

	require.NoError(t, run.Start(ctx, "api"))
	select {
	case ev := <-got:
		assert.Equal(t, timeline.TargetStart, ev.Kind, "a start we asked for is not a restart")
	case <-time.After(10 * time.Second):
		t.Fatal("no start event")
	}
	assert.True(t, waitFor(t, 10*time.Second, func() bool {
		code, _ := get(t, "http://"+web+"/")
		return code == 200
	}))
}

func TestPauseFreezesUntilUnpause(t *testing.T) {
	ctx := context.Background()
	run := startTB(t)
	api, _ := run.Addr("api")
	require.NoError(t, run.Pause(ctx, "api"))
	st, err := run.State(ctx, "api")
	require.NoError(t, err)
	assert.False(t, st.Running, "paused is not running")

	done := make(chan int, 1)
	go func() { code, _ := get(t, "http://"+api+"/"); done <- code }()
	select {
	case code := <-done:
		t.Fatalf("a paused service answered %d", code)
	case <-time.After(time.Second):
	}
	require.NoError(t, run.Unpause(ctx, "api"))
	require.NoError(t, run.Unpause(ctx, "api"), "unpausing twice is fine")
	select {
	case code := <-done:
		assert.Equal(t, 200, code, "the held request completes after unpause")
	case <-time.After(10 * time.Second):
		t.Fatal("request still stuck after unpause")
	}
}

func TestMemoryLimitOOMKillIsDetectedAndCounted(t *testing.T) {
	ctx := context.Background()
	run := startTB(t, docker.WithMemoryLimit("api", 20<<20), docker.WithRestartPolicy("on-failure"))
	api, _ := run.Addr("api")
	for range 10 { // 10 × 8 MiB, well past 20 MiB
		get(t, "http://"+api+"/alloc?mib=8")
	}
	require.True(t, waitFor(t, 30*time.Second, func() bool {
		st, err := run.State(ctx, "api")
		return err == nil && st.OOMKilled && st.Restarts >= 1 && st.Running
	}), "api OOM-killed and restarted")
	var oom, exit137 int
	for _, ev := range run.Events() {
		switch {
		case ev.Kind == timeline.TargetOOM:
			oom++
		case ev.Kind == docker.KindExit && ev.ExitCode == 137:
			exit137++
		}
	}
	assert.GreaterOrEqual(t, oom, 1)
	assert.GreaterOrEqual(t, exit137, 1)

	// Raising the limit at runtime lets the same load through.
	require.NoError(t, run.SetMemoryLimit(ctx, "api", 256<<20))
	require.True(t, waitFor(t, 10*time.Second, func() bool { c, _ := get(t, "http://"+api+"/"); return c == 200 }))
	before, _ := run.State(ctx, "api")
	code, _ := get(t, "http://"+api+"/alloc?mib=40")
	assert.Equal(t, 200, code)
	after, err := run.State(ctx, "api")
	require.NoError(t, err)
	assert.Equal(t, before.Restarts, after.Restarts, "no OOM under the raised limit")
	assert.Greater(t, after.MemoryBytes, int64(40<<20), "usage reported")
	require.NoError(t, run.SetMemoryLimit(ctx, "api", 0), "0 lifts the limit")
}

func TestCPULimitUpdates(t *testing.T) {
	ctx := context.Background()
	run := startTB(t, docker.WithCPULimit("api", 0.5))
	require.NoError(t, run.SetCPULimit(ctx, "api", 0.25))
	require.NoError(t, run.SetCPULimit(ctx, "api", 0), "0 gives the host's CPUs back")
	_, err := run.State(ctx, "nope")
	assert.Error(t, err)
}
