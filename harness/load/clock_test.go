package load

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestSleepUntilNeverWakesEarly(t *testing.T) {
	for _, d := range []time.Duration{0, 300 * time.Microsecond, 3 * time.Millisecond, 20 * time.Millisecond} {
		at := time.Now().Add(d)
		if err := SleepUntil(context.Background(), at); err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if now := time.Now(); now.Before(at) {
			t.Errorf("%s: woke %s early", d, at.Sub(now))
		}
	}
}

func TestSleepUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	err := SleepUntil(ctx, time.Now().Add(time.Hour))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// In a synctest bubble only timers move the clock: the fine sleep must see
// that and fall back to timers, so fake-time schedules stay exact.
func TestSleepUntilFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		at := start.Add(5 * time.Second)
		if err := SleepUntil(context.Background(), at); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 5*time.Second {
			t.Fatalf("slept %s in fake time, want exactly 5s", got)
		}
	})
}
