package scenarios

import (
	"context"
	"sync"
)

// DefaultCapacity is how much concurrent work (in Weight units) the
// catalogue runs at once: most halves mostly wait on injected delays, so
// several fit on a 2-core machine; CPU-heavy ones weigh more.
const DefaultCapacity = 4

// weight is what a scenario costs the machine while it runs (default 1).
func (s Scenario) weight() int {
	if s.Weight < 1 {
		return 1
	}
	return s.Weight
}

// slots is a weighted semaphore.
type slots struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int
	cap  int
}

func newSlots(capacity int) *slots {
	if capacity < 1 {
		capacity = DefaultCapacity
	}
	s := &slots{free: capacity, cap: capacity}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *slots) acquire(n int) {
	if n > s.cap {
		n = s.cap
	}
	s.mu.Lock()
	for s.free < n {
		s.cond.Wait()
	}
	s.free -= n
	s.mu.Unlock()
}

func (s *slots) release(n int) {
	if n > s.cap {
		n = s.cap
	}
	s.mu.Lock()
	s.free += n
	s.mu.Unlock()
	s.cond.Broadcast()
}

// testSlots bounds the catalogue's parallel subtests in one test binary.
var testSlots = newSlots(DefaultCapacity)

// Reserve waits until s may run and returns the func that frees its room.
// `go test` subtests call it after t.Parallel.
func Reserve(s Scenario) (release func()) {
	testSlots.acquire(s.weight())
	return func() { testSlots.release(s.weight()) }
}

// Job is one half to play.
type Job struct {
	Scenario Scenario
	Config   Config
}

// RunJobs plays jobs concurrently within capacity; start is called as a job
// begins and play must run it and return its verdict. Verdicts come back in
// the order of jobs.
func RunJobs(ctx context.Context, jobs []Job, capacity int, play func(Job) Verdict) []Verdict {
	sl := newSlots(capacity)
	out := make([]Verdict, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sl.acquire(j.Scenario.weight())
			defer sl.release(j.Scenario.weight())
			if ctx.Err() != nil {
				out[i] = Verdict{Scenario: j.Scenario.Name, Half: j.Config.Half, Messages: []string{"not run: " + ctx.Err().Error()}}
				return
			}
			out[i] = play(j)
		}()
	}
	wg.Wait()
	return out
}
