package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// cartOutage: cart fails entirely while its fault is on [10 s, 20 s) and,
// like a breaker waiting to close, for recoverAfter more seconds.
func cartOutage(tb testing.TB, recoverAfter int) *builder {
	b := newBuilder(tb, 60*time.Second)
	b.failures(metrics.Tags{"name": "cart"}, 0, sec(60), 10, func(s int) int {
		if s >= 10 && s < 20+recoverAfter {
			return 10
		}
		return 0
	})
	b.fault("cart", "lifecycle: kill", sec(10), sec(20))
	return b
}

func TestRecoveredWithin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := cartOutage(t, 7).build()
		slo := assertions.Availability(metrics.Tags{"name": "cart"}, 0.99)
		rec, err := assertions.RecoveryTime(run, "cart", slo, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Recovered || rec.Took != 7*time.Second || rec.At.Sub(run.Start) != 27*time.Second {
			t.Fatalf("recovery %+v, want 7s (healthy from 27s)", rec)
		}
		var ok recorder
		if !assertions.RecoveredWithin(&ok, run, "cart", slo, 10*time.Second) {
			t.Errorf("7s is within 10s: %s", ok.text())
		}
		var r recorder
		if assertions.RecoveredWithin(&r, run, "cart", slo, 5*time.Second) {
			t.Fatal("7s is over 5s")
		}
		r.mustContain(t, "recovered 7s after the revert at 20.0s (healthy from 27.0s), limit 5s", "window after cart [20.0s–60.0s]")
	})
}

func TestRecoveredWithinNever(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := cartOutage(t, 38).build() // still failing at 58 s
		var r recorder
		if assertions.RecoveredWithin(&r, run, "cart", assertions.Availability(nil, 0.99), time.Minute) {
			t.Fatal("a system failing until the end did not recover")
		}
		r.mustContain(t, "did not hold over a 5s window again before the run ended (40s after the revert at 20.0s)")
	})
}

// A relapse after a first healthy window is not a recovery: the system must
// stay healthy.
func TestRecoveryMustStay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.failures(nil, 0, sec(60), 10, func(s int) int {
			if s >= 10 && s < 20 || s >= 30 && s < 33 {
				return 10
			}
			return 0
		})
		b.fault("cart", "lifecycle: kill", sec(10), sec(20))
		rec, err := assertions.RecoveryTime(b.build(), "cart", assertions.Availability(nil, 0.99), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Took != 13*time.Second {
			t.Errorf("recovery %s, want 13s (after the relapse at 30–33s)", rec.Took)
		}
	})
}
