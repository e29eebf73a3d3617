package embedded

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cgroupsOr fails the test, naming what is missing, on a machine without
// usable cgroups (the feature must be seen to work where it runs).
func cgroupsOr(t *testing.T) {
	t.Helper()
	cg, err := newCgroup("probe")
	if err != nil {
		t.Fatalf("no usable cgroups on this machine: %v", err)
	}
	cg.remove()
}

func TestMemoryLimitOOMKillsAProcess(t *testing.T) {
	cgroupsOr(t)
	svc := helperProc(t, "hog", "http")
	r := startWith(t, Config{}, target.System{Name: "mem", Services: []target.Service{svc}})
	ctx := context.Background()
	addr, _ := r.Addr("hog")
	code, _ := fetch(t, addr, "/alloc?mb=8")
	require.Equal(t, 200, code, "8 MiB without a limit is fine")

	require.NoError(t, r.SetMemoryLimit(ctx, "hog", 32<<20))
	code, _ = fetch(t, addr, "/alloc?mb=64")
	assert.NotEqual(t, 200, code, "64 MiB more under a 32 MiB limit")
	var st target.State
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if st, _ = r.State(ctx, "hog"); !st.Running {
			break
		}
	}
	assert.False(t, st.Running, "the kernel killed it")
	assert.True(t, st.OOMKilled, "and State says it was the OOM killer")
	var kinds []string
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end) && len(kinds) < 2; time.Sleep(10 * time.Millisecond) {
		evs := r.events.All()
		kinds = kinds[:0]
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind+" "+ev.Service+": "+ev.Name)
		}
	}
	assert.Contains(t, kinds, "target.oom hog: oom-killed", "the OOM kill is a lifecycle event")
	assert.Contains(t, kinds, "target.exit hog: ended: signal: killed")

	require.NoError(t, r.SetMemoryLimit(ctx, "hog", 0))
	require.NoError(t, r.Start(ctx, "hog"))
	code, _ = fetch(t, addr, "/alloc?mb=64")
	assert.Equal(t, 200, code, "the limit is lifted")
}

func TestCPULimitThrottlesAProcess(t *testing.T) {
	cgroupsOr(t)
	svc := helperProc(t, "spinner", "http")
	r := startWith(t, Config{}, target.System{Name: "cpu", Services: []target.Service{svc}})
	ctx := context.Background()
	addr, _ := r.Addr("spinner")

	const cpus, wall = 0.1, time.Second
	require.NoError(t, r.SetCPULimit(ctx, "spinner", cpus))
	_, body := fetch(t, addr, "/spin?ms="+strconv.Itoa(int(wall.Milliseconds())))
	ms, err := strconv.Atoi(body)
	require.NoError(t, err, body)
	// 0.1 CPU over 1 s is 100 ms of CPU; a period (100 ms) of slack on
	// either side for where the spin starts and ends.
	assert.LessOrEqual(t, ms, 300, "CPU time used in 1 s under a 0.1 CPU limit")
	t.Logf("CPU time in %v of spinning under %.1f CPU: %d ms", wall, cpus, ms)
	stat, err := os.ReadFile(filepath.Join(r.services["spinner"].cg.cpu, "cpu.stat"))
	require.NoError(t, err)
	assert.Regexp(t, `nr_throttled [1-9]`, string(stat), "the kernel throttled it (not only a busy machine)")

	require.NoError(t, r.SetCPULimit(ctx, "spinner", 0))
	_, body = fetch(t, addr, "/spin?ms=300")
	t.Logf("CPU time in 300ms of spinning without a limit: %s ms (machine shared, not asserted)", body)
	dir := r.services["spinner"].cg.cpu
	require.NoError(t, r.Stop(ctx))
	assert.NoDirExists(t, dir, "the cgroup is removed with the system")
}

func TestLimitsOnFuncServicesAreUnsupported(t *testing.T) {
	r := start(t, testSystem())
	err := r.SetMemoryLimit(context.Background(), "backend", 64<<20)
	assert.ErrorIs(t, err, target.ErrUnsupported)
	assert.ErrorContains(t, err, "a func service runs in no cgroup of its own")
	err = r.SetCPULimit(context.Background(), "nope", 1)
	assert.ErrorIs(t, err, target.ErrUnknownService)
}
