package scenarios

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
)

// RunJobs never exceeds its capacity, starts jobs in order and lets a
// small job through while a big one waits for room.
func TestRunJobsOrderAndCapacity(t *testing.T) {
	weights := []int{2, 2, 3, 1, 1}
	var jobs []Job
	for i, w := range weights {
		jobs = append(jobs, Job{Scenario: Scenario{Name: string(rune('a' + i)), Weight: w}})
	}
	var (
		mu      sync.Mutex
		started []string
		inUse   atomic.Int64
		peak    atomic.Int64
	)
	release := map[string]chan struct{}{}
	for _, j := range jobs {
		release[j.Scenario.Name] = make(chan struct{})
	}
	done := make(chan []Verdict)
	go func() {
		done <- RunJobs(context.Background(), jobs, 4, func(j Job) Verdict {
			n := inUse.Add(int64(j.Scenario.weight()))
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			mu.Lock()
			started = append(started, j.Scenario.Name)
			mu.Unlock()
			<-release[j.Scenario.Name]
			inUse.Add(-int64(j.Scenario.weight()))
			return Verdict{Scenario: j.Scenario.Name, Status: harness.Pass}
		})
	}()
	waitStarted := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			got := append([]string(nil), started...)
			mu.Unlock()
			if len(got) == len(want) {
				// jobs granted together start in any order
				slices.Sort(got)
				want = slices.Sorted(slices.Values(want))
				if !slices.Equal(got, want) {
					t.Fatalf("started %v, want %v", got, want)
				}
				return
			}
			if len(got) > len(want) || time.Now().After(deadline) {
				t.Fatalf("started %v, want %v", got, want)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitStarted("a", "b") // 2+2 fill the 4 slots
	close(release["a"])   // 2 free: c (3) does not fit, d (1) and e (1) do
	waitStarted("a", "b", "d", "e")
	close(release["b"]) // 2 free: still not enough for c
	close(release["d"]) // 3 free: c
	waitStarted("a", "b", "d", "e", "c")
	close(release["e"])
	close(release["c"])
	vs := <-done
	for i, v := range vs {
		if v.Scenario != jobs[i].Scenario.Name {
			t.Errorf("verdict %d is %s, want %s", i, v.Scenario, jobs[i].Scenario.Name)
		}
	}
	if p := peak.Load(); p > 4 {
		t.Errorf("peak weight in use %d, over the capacity 4", p)
	}
}

// A job heavier than the capacity runs alone rather than never.
func TestRunJobsOversizedJobRuns(t *testing.T) {
	vs := RunJobs(context.Background(), []Job{{Scenario: Scenario{Name: "big", Weight: 9}}}, 2,
		func(j Job) Verdict { return Verdict{Scenario: j.Scenario.Name, Status: harness.Pass} })
	if len(vs) != 1 || !vs[0].Passed() {
		t.Fatalf("verdicts %+v", vs)
	}
}

// Quiet halves run one at a time beside light ones only: no heavy or
// other quiet half overlaps them, and one waiting behind a quiet half does
// not overtake it.
func TestRunJobsQuietBesideLightOnly(t *testing.T) {
	jobs := []Job{
		{Scenario: Scenario{Name: "quiet-a", Weight: 2, Quiet: []Half{Fixed}}, Config: Config{Half: Unfixed}}, // heavy
		{Scenario: Scenario{Name: "quiet-a", Weight: 2, Quiet: []Half{Fixed}}, Config: Config{Half: Fixed}},
		{Scenario: Scenario{Name: "quiet-b", Weight: 2, Quiet: []Half{Fixed}}, Config: Config{Half: Fixed}},
		{Scenario: Scenario{Name: "heavy-a", Weight: 3}},
		{Scenario: Scenario{Name: "light-a"}},
		{Scenario: Scenario{Name: "heavy-b", Weight: 2}},
		{Scenario: Scenario{Name: "light-b"}},
	}
	var (
		mu           sync.Mutex
		quiet, heavy int
		light        int
		overlap      []string
		lightBeside  bool
		quietStarted int
		heavyFirst   []string
	)
	RunJobs(context.Background(), jobs, 8, func(j Job) Verdict {
		s := j.Scenario
		q := s.quiet(j.Config.Half)
		mu.Lock()
		switch {
		case q:
			quiet++
			quietStarted++
			lightBeside = lightBeside || light > 0
		case s.weight() > 1:
			heavy++
			if quietStarted < 2 {
				heavyFirst = append(heavyFirst, s.Name+"/"+string(j.Config.Half))
			}
		default:
			light++
			lightBeside = lightBeside || quiet > 0
		}
		if quiet > 0 && heavy > 0 || quiet > 1 {
			overlap = append(overlap, s.Name+"/"+string(j.Config.Half))
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		switch {
		case q:
			quiet--
		case s.weight() > 1:
			heavy--
		default:
			light--
		}
		mu.Unlock()
		return Verdict{Scenario: s.Name, Status: harness.Pass}
	})
	if len(overlap) > 0 {
		t.Errorf("a quiet half ran beside a heavy or another quiet one when %v started", overlap)
	}
	if !lightBeside {
		t.Errorf("no light half ran beside the quiet ones")
	}
	if len(heavyFirst) > 0 {
		t.Errorf("heavy halves %v started before the quiet ones queued behind them", heavyFirst)
	}
}

func TestCapacityForTarget(t *testing.T) {
	if got := CapacityFor("docker"); got != DockerCapacity || got >= DefaultCapacity {
		t.Errorf("docker: %d, want %d (below %d)", got, DockerCapacity, DefaultCapacity)
	}
	for _, tgt := range []string{"embedded", ""} {
		if got := CapacityFor(tgt); got != DefaultCapacity {
			t.Errorf("%q: %d, want %d", tgt, got, DefaultCapacity)
		}
	}
}
