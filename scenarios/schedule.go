package scenarios

import (
	"context"
	"os"
	"slices"
	"sync"
	"time"
)

// DefaultCapacity is how much concurrent work (in Weight units) the
// catalogue runs at once. Most halves spend their time waiting on injected
// delays and timeouts (the whole short gate uses a quarter of one core on
// average), so many fit on a 2-core machine; the CPU-heavy ones (the
// homepage flood, headless browsers) weigh more.
const DefaultCapacity = 8

// DockerCapacity is DefaultCapacity on the docker target, where every half
// starts its system's containers (28 for the demo) through one engine:
// at 8, starts and removals of concurrent halves queued in the engine past
// their bounds (load average 25 on 2 cores, removals over 30 s).
const DockerCapacity = 4

// CapacityFor is the capacity for halves on a concrete target (see
// ConcreteTarget): DockerCapacity on docker, else DefaultCapacity.
func CapacityFor(target string) int {
	if target == "docker" {
		return DockerCapacity
	}
	return DefaultCapacity
}

// weight is what a scenario costs the machine while it runs (default 1).
func (s Scenario) weight() int {
	if s.Weight < 1 {
		return 1
	}
	return s.Weight
}

// slots is a weighted semaphore that grants waiters in rank order (the
// catalogue's order: its longest halves come first, so they do not end up
// alone at the end of the run), letting a later waiter through when an
// earlier one does not fit yet.
type slots struct {
	mu      sync.Mutex
	free    int
	cap     int
	waiting []*ticket
	quiet   int // quiet tickets running
	heavy   int // heavy tickets running
	// settle holds the first grants back this long after the first
	// request, so that requests arriving together (`go test` releases all
	// parallel subtests at once, in no set order) are granted by rank.
	settle  time.Duration
	settled bool
	timer   *time.Timer
	paused  bool // enqueue grants nothing until open
}

type ticket struct {
	n, rank int
	quiet   bool // runs only beside light tickets
	ready   chan struct{}
}

func (tk *ticket) heavy() bool { return tk.n > 1 && !tk.quiet }

func newSlots(capacity int) *slots {
	if capacity < 1 {
		capacity = DefaultCapacity
	}
	return &slots{free: capacity, cap: capacity}
}

// enqueue queues a request for n slots at rank; its ready channel closes
// once granted.
func (s *slots) enqueue(n, rank int, quiet bool) *ticket {
	tk := &ticket{n: min(max(n, 1), s.cap), rank: rank, quiet: quiet, ready: make(chan struct{})}
	s.mu.Lock()
	i, _ := slices.BinarySearchFunc(s.waiting, rank, func(w *ticket, r int) int { return w.rank - r })
	for i < len(s.waiting) && s.waiting[i].rank == rank {
		i++ // same rank: first come, first served
	}
	s.waiting = slices.Insert(s.waiting, i, tk)
	switch {
	case s.paused:
	case s.settled || s.settle <= 0:
		s.settled = true
		s.grant()
	case s.timer == nil:
		s.timer = time.AfterFunc(s.settle, func() {
			s.mu.Lock()
			s.settled = true
			s.grant()
			s.mu.Unlock()
		})
	}
	s.mu.Unlock()
	return tk
}

// grant hands free slots to waiters in rank order; called with mu held.
func (s *slots) grant() {
	// A quiet ticket kept waiting by heavy ones is not overtaken by more
	// heavy ones (nor a heavy one by quiet ones): it would never run.
	var quietWaits, heavyWaits bool
	for i := 0; i < len(s.waiting) && s.free > 0; {
		tk := s.waiting[i]
		if s.fits(tk) && !(tk.heavy() && quietWaits) && !(tk.quiet && heavyWaits) {
			s.free -= tk.n
			s.count(tk, 1)
			close(tk.ready)
			s.waiting = slices.Delete(s.waiting, i, i+1)
			continue
		}
		quietWaits = quietWaits || tk.quiet
		heavyWaits = heavyWaits || tk.heavy()
		i++
	}
}

func (s *slots) fits(tk *ticket) bool {
	switch {
	case tk.n > s.free:
		return false
	case tk.quiet && (s.heavy > 0 || s.quiet > 0), tk.heavy() && s.quiet > 0:
		return false // quiet halves run one at a time, beside light ones
	}
	return true
}

func (s *slots) count(tk *ticket, d int) {
	if tk.quiet {
		s.quiet += d
	}
	if tk.heavy() {
		s.heavy += d
	}
}

// open starts granting after requests were queued paused.
func (s *slots) open() {
	s.mu.Lock()
	s.paused = false
	s.settled = true
	s.grant()
	s.mu.Unlock()
}

func (s *slots) release(tk *ticket) {
	s.mu.Lock()
	s.free += tk.n
	s.count(tk, -1)
	s.grant()
	s.mu.Unlock()
}

// quiet reports whether s's half h runs beside light halves only.
func (s Scenario) quiet(h Half) bool { return slices.Contains(s.Quiet, h) }

// rank is s's place in the catalogue (after it when s is not in it).
func rank(s Scenario) int {
	for i, c := range Catalogue() {
		if c.Name == s.Name {
			return i
		}
	}
	return len(Catalogue())
}

// testSlots bounds the catalogue's parallel subtests in one test binary:
// CapacityFor the target $GAMEDAY_TARGET names ("auto" counts as docker
// when an engine answers), decided at the first reservation.
var (
	testSlots     *slots
	testSlotsOnce sync.Once
)

func slotsForTests() *slots {
	testSlotsOnce.Do(func() {
		tgt, _ := ConcreteTarget(context.Background(), os.Getenv("GAMEDAY_TARGET"))
		c := CapacityFor(tgt)
		testSlots = &slots{free: c, cap: c, settle: 200 * time.Millisecond}
	})
	return testSlots
}

// Reserve waits until s may run and returns the func that frees its room.
// `go test` subtests call it after t.Parallel; a test outside the
// catalogue's halves is never quiet.
func Reserve(s Scenario) (release func()) {
	return reserve(s.weight(), rank(s), false)
}

// ReserveHalf is Reserve for one half of a catalogue scenario: a quiet half
// is granted before every other (see RunJobs).
func ReserveHalf(s Scenario, h Half) (release func()) {
	r := rank(s)
	if s.quiet(h) {
		r -= len(Catalogue())
	}
	return reserve(s.weight(), r, s.quiet(h))
}

func reserve(n, rank int, quiet bool) (release func()) {
	sl := slotsForTests()
	tk := sl.enqueue(n, rank, quiet)
	<-tk.ready
	return func() { sl.release(tk) }
}

// Job is one half to play.
type Job struct {
	Scenario Scenario
	Config   Config
}

// RunJobs plays jobs concurrently within capacity, granting them in the
// order given (a later job goes first only when an earlier one does not
// fit yet), quiet halves first: one queued behind a heavy half that started
// would wait for every heavy half to end. play must run a job and return
// its verdict. Verdicts come back in the order of jobs.
func RunJobs(ctx context.Context, jobs []Job, capacity int, play func(Job) Verdict) []Verdict {
	sl := newSlots(capacity)
	sl.paused = true // every job queued by rank before the first grant
	out := make([]Verdict, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		rank, quiet := i, j.Scenario.quiet(j.Config.Half)
		if quiet {
			rank -= len(jobs)
		}
		tk := sl.enqueue(j.Scenario.weight(), rank, quiet)
		wg.Go(func() {
			<-tk.ready
			defer sl.release(tk)
			if ctx.Err() != nil {
				out[i] = Errored(j.Scenario, j.Config, 0, "interrupted before it started: "+ctx.Err().Error(), true)
				return
			}
			out[i] = play(j)
		})
	}
	sl.open()
	wg.Wait()
	return out
}
