package browser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func TestBrowserKilledMidJourneyIsReportedAndReplaced(t *testing.T) {
	shop := NewTestShop(t)
	shop.ImageDelay.Store(int64(10 * time.Second))
	tags := testTags(t)
	oldPID, oldGen := shared.PID(), shared.Generation()
	go func() {
		<-shop.ImageArrived // the journey is mid-page: kill -9 the browser
		_ = syscall.Kill(oldPID, syscall.SIGKILL)
	}()
	err := shared.RunJourney(t.Context(), 8, HomeOnly(shop.URL), tags)
	var se *StepError
	if !errors.As(err, &se) || se.Cause != CauseBrowserCrashed || se.Step != StepHome {
		t.Fatalf("err = %v, want a browser_crashed StepError in step home", err)
	}
	if a := agg(metricsErrors, tags.With("cause", CauseBrowserCrashed)); a.Sum != 1 {
		t.Errorf("browser_errors{cause:browser_crashed} = %v, want 1", a.Sum)
	}
	shop.ImageDelay.Store(0)
	if err := shared.RunJourney(t.Context(), 8, HomeOnly(shop.URL), tags); err != nil {
		t.Fatalf("journey after the crash: %v", err)
	}
	if g := shared.Generation(); g != oldGen+1 || shared.PID() == oldPID {
		t.Errorf("generation %d pid %d, want a new browser (was %d, pid %d)", g, shared.PID(), oldGen, oldPID)
	}
	if !waitFor(5*time.Second, func() bool { return !alive(oldPID) && len(LeftoverDirs()) == 1 }) {
		t.Errorf("old browser %d alive %v, dirs %v", oldPID, alive(oldPID), LeftoverDirs())
	}
	var crashes int
	for _, ev := range sharedTL.Events() {
		if ev.Kind == EventBrowserCrash && ev.Attrs["generation"] == itoa(oldGen) {
			crashes++
		}
	}
	if crashes != 1 {
		t.Errorf("timeline has %d crash events for generation %d, want 1", crashes, oldGen)
	}
}

func TestContextsAreCappedRecycledAndIsolated(t *testing.T) {
	shop := NewTestShop(t)
	tags := testTags(t)
	before := shared.Stats()
	const vus, perVU = sharedMaxContexts + 1, sharedRecycleAfter + 1
	var wg sync.WaitGroup
	for vu := range vus {
		wg.Go(func() {
			for range perVU {
				if err := shared.RunJourney(t.Context(), 200+vu, HomeOnly(shop.URL), tags); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	st := shared.Stats()
	if st.Live > sharedMaxContexts {
		t.Errorf("live contexts %d > cap %d", st.Live, sharedMaxContexts)
	}
	if m := shop.MaxConcurrentPages(); m > sharedMaxContexts {
		t.Errorf("%d pages loaded at once, cap is %d contexts", m, sharedMaxContexts)
	}
	// Each VU has its own cookie jar; a recycled context starts a new one.
	// 5 VUs × 3 journeys: a fresh context per VU and another after 2
	// journeys; evictions (5 VUs over 4 slots) only add contexts.
	opened := st.ContextsOpened - before.ContextsOpened
	if opened < vus*2 {
		t.Errorf("contexts opened = %d, want >= %d", opened, vus*2)
	}
	if got := shop.Sessions(); int64(got) != opened {
		t.Errorf("shop saw %d sessions, pool opened %d contexts: contexts are not isolated", got, opened)
	}
}

func TestCloseTwiceLeavesNothing(t *testing.T) {
	shop := NewTestShop(t)
	procs, dirs := LeftoverProcesses(), LeftoverDirs()
	p, err := NewPool(t.Context(), sharedConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RunJourney(t.Context(), 1, HomeOnly(shop.URL), testTags(t)); err != nil {
		t.Error(err)
	}
	if len(LeftoverProcesses()) <= len(procs) {
		t.Fatalf("no new chromium process seen while the pool runs")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	assertOnly(t, procs, dirs)
	if err := p.RunJourney(t.Context(), 1, HomeOnly(shop.URL), testTags(t)); !errors.Is(err, ErrPoolClosed) {
		t.Errorf("journey after Close: %v, want ErrPoolClosed", err)
	}
}

func TestCancelledContextMidJourneyLeavesNothing(t *testing.T) {
	shop := NewTestShop(t)
	shop.ImageDelay.Store(int64(10 * time.Second))
	procs, dirs := LeftoverProcesses(), LeftoverDirs()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := NewPool(ctx, sharedConfig)
	if err != nil {
		t.Fatal(err)
	}
	go func() { <-shop.ImageArrived; cancel() }()
	if err := p.RunJourney(context.Background(), 1, HomeOnly(shop.URL), testTags(t)); !errors.Is(err, ErrPoolClosed) {
		t.Errorf("journey interrupted by its pool's cancellation: err = %v, want ErrPoolClosed", err)
	}
	if !waitFor(10*time.Second, func() bool {
		return len(LeftoverProcesses()) == len(procs) && len(LeftoverDirs()) == len(dirs)
	}) {
		t.Errorf("after cancel: processes %v (before %v), dirs %v (before %v)", LeftoverProcesses(), procs, LeftoverDirs(), dirs)
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
}

// childEnv selects the behaviour of TestLeakChild in a child test binary.
const childEnv = "GAMEDAY_BROWSER_LEAK_CHILD"

// runChild runs TestLeakChild in a new test binary process in mode.
func runChild(t *testing.T, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	return cmd
}

// childLeftovers are the Chromium processes and temp dirs of pools of pid.
func childLeftovers(pid int) ([]int, []string) {
	prefix := filepath.Join(os.TempDir(), tempPrefix(pid))
	dirs, _ := filepath.Glob(prefix + "*")
	return pidsUsing(prefix, false), dirs
}

// TestPanickingTestLeavesNothing: a test panics while its pool (StartPool)
// has a context open; t.Cleanup still closes the pool.
func TestPanickingTestLeavesNothing(t *testing.T) {
	cmd := runChild(t, "panic")
	out, err := cmd.CombinedOutput()
	if err == nil || firstPanic(string(out)) != "panic: journey exploded" {
		t.Fatalf("child did not panic as expected: %v\n%s", err, out)
	}
	if !waitFor(5*time.Second, func() bool { p, d := childLeftovers(cmd.Process.Pid); return len(p)+len(d) == 0 }) {
		p, d := childLeftovers(cmd.Process.Pid)
		t.Errorf("after the panic: processes %v, dirs %v", p, d)
	}
}

// TestKilledTestBinaryLeavesNoBrowserAndIsSwept: the Go process is killed
// -9, so nothing of it runs: Chromium dies with it (parent-death signal) and
// the next pool sweeps the orphaned temp dir.
func TestKilledTestBinaryLeavesNoBrowserAndIsSwept(t *testing.T) {
	cmd := runChild(t, "block")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		var seen string
		for {
			n, err := stdout.Read(buf)
			seen += string(buf[:n])
			if strings.Contains(seen, "POOL READY") {
				close(ready)
				_, _ = io.Copy(io.Discard, stdout)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child pool did not start")
	}
	child := cmd.Process.Pid
	if p, _ := childLeftovers(child); len(p) == 0 {
		t.Fatal("child has no chromium process")
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if !waitFor(5*time.Second, func() bool { p, _ := childLeftovers(child); return len(p) == 0 }) {
		p, _ := childLeftovers(child)
		t.Errorf("chromium of the killed binary still runs: %v", p)
	}
	if err := sweepStale(); err != nil {
		t.Error(err)
	}
	if _, d := childLeftovers(child); len(d) != 0 {
		t.Errorf("sweep left %v (child %d alive: %v)", d, child, alive(child))
	}
}

func TestLeakChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("run by the leak tests in a child process")
	}
	shop := NewTestShop(t)
	p := StartPool(t, PoolConfig{Registry: metrics.NewRegistry(time.Now())})
	if err := p.RunJourney(t.Context(), 1, HomeOnly(shop.URL), nil); err != nil {
		t.Fatal(err)
	}
	if mode == "block" {
		fmt.Println("POOL READY")
		time.Sleep(time.Minute)
	}
	panic("journey exploded")
}

func assertOnly(t *testing.T, procs []int, dirs []string) {
	t.Helper()
	if !waitFor(5*time.Second, func() bool { return slices.Equal(LeftoverProcesses(), procs) }) {
		t.Errorf("chromium processes %v, want only %v", LeftoverProcesses(), procs)
	}
	if d := LeftoverDirs(); !slices.Equal(d, dirs) {
		t.Errorf("temp dirs %v, want only %v", d, dirs)
	}
}
