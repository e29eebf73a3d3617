package assertions_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// recorder is an assert.TestingT that keeps the failure messages.
type recorder struct{ msgs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recorder) text() string { return strings.Join(r.msgs, "\n") }

// mustContain fails tb unless the recorder's messages contain every part.
func (r *recorder) mustContain(tb testing.TB, parts ...string) {
	tb.Helper()
	if len(r.msgs) == 0 {
		tb.Fatalf("no failure recorded, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(r.text(), p) {
			tb.Errorf("failure message lacks %q:\n%s", p, r.text())
		}
	}
}

// builder makes a synthetic run. It must be used inside a synctest bubble:
// the timeline stamps events with time.Now, which the bubble's fake clock
// drives, so windows land exactly where the test puts them.
type builder struct {
	tb     testing.TB
	t0     time.Time
	dur    time.Duration
	reg    *metrics.Registry
	events []scripted
	edges  []proxy.Edge
}

type scripted struct {
	at     time.Duration
	begin  bool
	point  bool
	kind   string
	target string
	name   string
	ref    int // index of the begin for an end
}

func newBuilder(tb testing.TB, dur time.Duration) *builder {
	tb.Helper()
	t0 := time.Now()
	return &builder{tb: tb, t0: t0, dur: dur, reg: metrics.NewRegistry(t0)}
}

// series adds perSec samples of metric in every second of [from, to) at
// even spacing, value(sec, i) for the i-th sample of second sec.
func (b *builder) series(metric string, tags metrics.Tags, from, to time.Duration, perSec int, value func(sec, i int) float64) {
	b.tb.Helper()
	for s := int(from / time.Second); s < int(to/time.Second); s++ {
		for i := 0; i < perSec; i++ {
			at := b.t0.Add(time.Duration(s)*time.Second + time.Duration(i)*time.Second/time.Duration(perSec))
			if err := b.reg.Add(metric, at, value(s, i), tags); err != nil {
				b.tb.Fatal(err)
			}
		}
	}
}

// failures records perSec http_req_failed samples per second, bad of them true.
func (b *builder) failures(tags metrics.Tags, from, to time.Duration, perSec int, bad func(sec int) int) {
	b.series(metrics.HTTPReqFailed, tags, from, to, perSec, func(sec, i int) float64 {
		if i < bad(sec) {
			return 1
		}
		return 0
	})
}

func (b *builder) window(kind, target, name string, from, to time.Duration) {
	b.events = append(b.events, scripted{at: from, begin: true, kind: kind, target: target, name: name})
	b.events = append(b.events, scripted{at: to, kind: kind, ref: len(b.events) - 1})
}

func (b *builder) fault(target, name string, from, to time.Duration) {
	b.window(timeline.FaultInject, target, name, from, to)
}

func (b *builder) point(kind, target string, at time.Duration) {
	b.events = append(b.events, scripted{at: at, point: true, kind: kind, target: target, name: kind})
}

func (b *builder) edge(caller, callee string, n uint64) {
	b.edges = append(b.edges, proxy.Edge{Caller: caller, Callee: callee, Requests: n})
}

// build plays the scripted timeline on the fake clock and returns the run.
func (b *builder) build() *harness.Run {
	b.tb.Helper()
	tl := timeline.New(b.t0)
	evs := append([]scripted(nil), b.events...)
	idx := make([]int, len(evs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return evs[idx[i]].at < evs[idx[j]].at })
	ids := map[int]string{}
	for _, i := range idx {
		e := evs[i]
		if d := time.Until(b.t0.Add(e.at)); d > 0 {
			time.Sleep(d)
		}
		switch {
		case e.point:
			tl.Add(e.kind, e.target, e.name, nil)
		case e.begin:
			ids[i] = tl.Begin(e.kind, e.target, e.name, nil)
		default:
			end := timeline.FaultRevert
			if e.kind == timeline.FlagSet {
				end = timeline.FlagRestore
			}
			tl.End(ids[e.ref], end, nil)
		}
	}
	if d := time.Until(b.t0.Add(b.dur)); d > 0 {
		time.Sleep(d)
	}
	return &harness.Run{Name: "synthetic", Target: "embedded", Start: b.t0, End: b.t0.Add(b.dur),
		Metrics: b.reg, Timeline: tl, Edges: b.edges}
}

func sec(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }

func constant(v float64) func(int, int) float64 { return func(int, int) float64 { return v } }
