package load

import (
	"context"
	"math"
	"testing"
	"time"
)

// FuzzRampingSchedules checks that any valid ramping configuration yields
// a schedule that is ordered, inside the stages, and as long as the rate's
// integral (arrival rate) or ends on the last target (VUs).
func FuzzRampingSchedules(f *testing.F) {
	f.Add(0, int64(time.Second), 10, int64(time.Second), 0, int64(time.Second))
	f.Add(5, int64(time.Minute), 0, int64(0), 7, int64(time.Second))
	f.Add(-1, int64(-5), 3, int64(time.Hour), 1, int64(0))
	f.Fuzz(func(t *testing.T, start int, d1 int64, t1 int, d2 int64, t2 int, unit int64) {
		exec := func(context.Context, *VU) error { return nil }
		stages := []Stage{{time.Duration(d1), t1}, {time.Duration(d2), t2}}
		rar := RampingArrivalRate{StartRate: start, TimeUnit: time.Duration(unit), Stages: stages, PreAllocatedVUs: 1, Exec: exec}
		if rar.Validate() == nil {
			u := timeUnitOrDefault(rar.TimeUnit).Seconds()
			want := (float64(start)+float64(t1))/2*time.Duration(d1).Seconds()/u +
				(float64(t1)+float64(t2))/2*time.Duration(d2).Seconds()/u
			if want > 1e5 {
				return
			}
			a := rar.arrivals()
			n, last := 0, time.Duration(0)
			for {
				off, ok := a.next()
				if !ok {
					break
				}
				if off < last || off > rar.span() {
					t.Fatalf("offset %s after %s (span %s)", off, last, rar.span())
				}
				last = off
				n++
			}
			if math.Abs(float64(n)-want) > 1.5 {
				t.Fatalf("%d arrivals, integral %.2f", n, want)
			}
		}
		rv := RampingVUs{StartVUs: start, Stages: stages, Exec: exec}
		if rv.Validate() == nil && rv.maxVUs() < 1e5 {
			steps := rv.steps()
			for i := 1; i < len(steps); i++ {
				if steps[i].At < steps[i-1].At {
					t.Fatalf("steps out of order: %+v", steps)
				}
			}
			if steps[len(steps)-1].VUs != t2 {
				t.Fatalf("ends at %d VUs, want %d", steps[len(steps)-1].VUs, t2)
			}
		}
	})
}
