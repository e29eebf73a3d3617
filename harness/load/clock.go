package load

import (
	"context"
	"sync/atomic"
	"time"
)

// fineLead is how much of a wait is left to the fine sleep. Go's timers
// wake up to ~1 ms late (the runtime sleeps in epoll_wait, whose timeout
// is in whole milliseconds), which would show up as latency in the open
// model: an arrival due at t would start at t+0.5 ms on average. So a wait
// sleeps on a timer until fineLead before the due time and the rest in a
// nanosleep, which the kernel ends within its timer slack (~50 µs).
const fineLead = 2 * time.Millisecond

// fakeClock is set once a fine sleep saw the clock not move: a
// testing/synctest bubble, where only timers advance time. Waits then use
// timers alone.
var fakeClock atomic.Bool

// SleepUntil blocks until t or until ctx ends (then it returns ctx's
// error). A wait longer than 2 ms wakes within tens of microseconds of t
// rather than the up to a millisecond of a plain timer. Useful for pacing
// inside an iteration.
func SleepUntil(ctx context.Context, t time.Time) error {
	return sleepUntil(ctx.Done(), t, nil, ctx.Err)
}

// sleepUntil waits until t, using timer for the coarse part (a new one
// when nil). done ends the wait early; the result is err() either way.
func sleepUntil(done <-chan struct{}, t time.Time, timer *time.Timer, err func() error) error {
	coarse := time.Until(t)
	// A short wait stays on the timer: the nanosleep holds a P (a CPU slot
	// of the Go scheduler) while it lasts, and waits this short mean a
	// high arrival rate, whose busy runtime checks its timers often anyway.
	fine := !fakeClock.Load() && coarse > fineLead
	if fine {
		coarse -= fineLead
	}
	if coarse > 0 {
		if timer == nil {
			timer = time.NewTimer(coarse)
			defer timer.Stop()
		} else {
			timer.Reset(coarse)
		}
		select {
		case <-timer.C:
		case <-done:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			return err()
		}
	}
	if !fine {
		return err()
	}
	if d := time.Until(t); d > 0 {
		before := time.Now()
		nanosleep(d)
		if !time.Now().After(before) {
			fakeClock.Store(true)
			return sleepUntil(done, t, timer, err)
		}
	}
	return err()
}
