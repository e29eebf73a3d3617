package slo_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/harness/slo"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// steadySource counts perSec events a second, of which bad() fail, as a
// function of the second since it began: a load the test scripts exactly.
type steadySource struct {
	start  time.Time
	perSec uint64
	bad    func(sec int) uint64
}

func (s *steadySource) String() string { return "scripted requests" }

func (s *steadySource) Counts(_ context.Context, now time.Time) (slo.Counts, error) {
	secs := int(now.Sub(s.start) / time.Second)
	var c slo.Counts
	for i := 0; i < secs; i++ {
		c.Total += s.perSec
		c.Good += s.perSec - s.bad(i)
	}
	return c, nil
}

// A 60 s span makes the workbook's 1 h / 5 min pair 10 s / 1 s and the
// 6 h / 30 min pair 60 s / 5 s. 1000 req/s, 5% failing in seconds 20–29
// (50× a 99.9% budget): the 14.4× alert needs its 10 s long window at
// 1.44%, which three bad seconds give (150/10000) — it fires at 23 s, not
// before; the 1 s short window resets it one second after the errors stop.
func TestBurnWindowsFireAndReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &steadySource{start: time.Now(), perSec: 1000, bad: func(s int) uint64 {
			if s >= 20 && s < 30 {
				return 50
			}
			return 0
		}}
		check, err := slo.NewBurnCheck(slo.Objective{Source: src, Target: 0.999, Span: time.Minute,
			Policy: slo.Policy{Alerts: slo.WorkbookAlerts[:1], Scale: 360}})
		if err != nil {
			t.Fatal(err)
		}
		tl := timeline.New(time.Now())
		m, err := slo.Watch(t.Context(), slo.Config{Name: "test", Checks: []slo.Check{check}, Timeline: tl})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		time.Sleep(45*time.Second + time.Millisecond)
		rep := m.Stop()
		if len(rep.Changes) != 2 {
			t.Fatalf("want a breach and a recovery, got %v", rep.Changes)
		}
		if at := rep.Changes[0].At.Sub(start); rep.Changes[0].Healthy || at != 23*time.Second {
			t.Errorf("breach %v at %s, want at 23s", rep.Changes[0], at)
		}
		if at := rep.Changes[1].At.Sub(start); !rep.Changes[1].Healthy || at != 31*time.Second {
			t.Errorf("recovery %v at %s, want at 31s", rep.Changes[1], at)
		}
		if !strings.Contains(rep.Changes[0].Detail, "14.4× alert") {
			t.Errorf("breach detail %q does not name the alert", rep.Changes[0].Detail)
		}
		b := rep.Burns[0]
		// 500 bad of 45000 over 45 s standing for 4.5 h (scale 360) of a 30-day budget
		if b.Total != 45000 || b.Good != 44500 {
			t.Errorf("counted %d good of %d, want 44500 of 45000", b.Good, b.Total)
		}
		wantBudget := (500.0 / 45000 / 0.001) * 360 * 45 / (30 * 24 * 3600)
		if d := b.BudgetConsumed - wantBudget; d > 1e-9 || d < -1e-9 {
			t.Errorf("budget consumed %v, want %v", b.BudgetConsumed, wantBudget)
		}
		ws := tl.Windows()
		if len(ws) != 1 || ws[0].Kind != slo.KindBreach || ws[0].Open || ws[0].End.Sub(ws[0].Start) != 8*time.Second {
			t.Errorf("timeline %+v, want one closed 8 s breach window", ws)
		}
	})
}

// The 6× alert over a 60 s span: 60 s long and 5 s short windows. A spike
// of 300 bad at second 61 is 5× over the long window: no alert. A 7× burn
// from second 90 fires it once the long window holds 360 bad (300 + 9·7,
// at 99 s), and the alert resets when the spike leaves the long window
// (at 122 s, 32·7 = 224 bad is 3.7×) although the burn goes on: the long
// window is what weighs a burn against the budget.
func TestLongWindowWeighsSpikeAgainstBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &steadySource{start: time.Now(), perSec: 1000, bad: func(s int) uint64 {
			switch {
			case s == 61:
				return 300
			case s >= 90:
				return 7
			}
			return 0
		}}
		check, err := slo.NewBurnCheck(slo.Objective{Source: src, Target: 0.999, Span: time.Minute,
			Policy: slo.Policy{Alerts: slo.WorkbookAlerts[1:]}})
		if err != nil {
			t.Fatal(err)
		}
		m, err := slo.Watch(t.Context(), slo.Config{Checks: []slo.Check{check}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		time.Sleep(130 * time.Second)
		rep := m.Stop()
		if len(rep.Changes) != 2 {
			t.Fatalf("want one breach and one recovery, got %v", rep.Changes)
		}
		if at := rep.Changes[0].At.Sub(start); at != 99*time.Second {
			t.Errorf("6× alert fired at %s, want 99s: %v", at, rep.Changes[0])
		}
		if at := rep.Changes[1].At.Sub(start); at != 122*time.Second {
			t.Errorf("6× alert reset at %s, want 122s: %v", at, rep.Changes[1])
		}
	})
}

// Breached closes on the first breach, while the monitor goes on.
func TestBreachedChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var bad atomic.Bool
		check := slo.CheckFunc{Name: "switch", Func: func(context.Context, time.Time) slo.Status {
			return slo.Status{Healthy: !bad.Load(), Detail: "switch"}
		}}
		m, err := slo.Watch(t.Context(), slo.Config{Checks: []slo.Check{check}})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Stop()
		time.Sleep(3500 * time.Millisecond)
		select {
		case <-m.Breached():
			t.Fatal("breached while healthy")
		default:
		}
		bad.Store(true)
		set := time.Now()
		<-m.Breached()
		if d := time.Since(set); d > time.Second {
			t.Errorf("breach seen %s after it began, want within one tick", d)
		}
		if c, ok := m.FirstBreach(); !ok || c.Healthy {
			t.Errorf("first breach %v %v", c, ok)
		}
	})
}

func TestObjectiveValidate(t *testing.T) {
	err := slo.Objective{Target: 1.5}.Validate()
	for _, want := range []string{"source", "target", "span"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
	if _, err := slo.Watch(context.Background(), slo.Config{}); err == nil {
		t.Error("a monitor without checks started")
	}
}

// A source that cannot be read for DefaultMaxBlind evaluations in a row
// breaks its objective: a blind guard must stop what it guards.
func TestBlindSourceBreaks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var down atomic.Bool
		src := slo.SourceFunc{Name: "flaky", Func: func(context.Context, time.Time) (slo.Counts, error) {
			if down.Load() {
				return slo.Counts{}, errors.New("connection refused")
			}
			return slo.Counts{Good: 10, Total: 10}, nil
		}}
		check, err := slo.NewBurnCheck(slo.Objective{Source: src, Target: 0.99, Span: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		m, err := slo.Watch(t.Context(), slo.Config{Checks: []slo.Check{check}})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait() // the evaluation due at this instant has run: it saw the source up
		down.Store(true)
		start := time.Now()
		<-m.Breached()
		rep := m.Stop()
		if d := time.Since(start); d != slo.DefaultMaxBlind*time.Second {
			t.Errorf("blind guard broke after %s, want %d evaluations", d, slo.DefaultMaxBlind)
		}
		if !strings.Contains(rep.Changes[0].Detail, "connection refused") {
			t.Errorf("breach %v does not say why", rep.Changes[0])
		}
	})
}
