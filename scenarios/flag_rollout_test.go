package scenarios

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness/load"
)

// How fast do the demo's services see a flag change? Every evaluation asks
// the flag service (no cache by default), so a checkout that starts after
// the admin call returned already charges under the new variant. Four
// shoppers check out in a loop; paymentFailure goes to 100% and back off.
// Every checkout that started after a change must see it; the log gives
// the time from the admin call to the first checkout answering under it.
func TestFlagChangeReachesServices(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the whole demo for 8 s; the flag-rollout scenario covers the path")
	}
	env := startDemo(t, Config{})
	admin, err := env.FlagAdmin()
	if err != nil {
		t.Fatal(err)
	}
	type attempt struct {
		start, end time.Time
		ok         bool
	}
	var mu sync.Mutex
	var attempts []attempt
	front := env.URL("frontend")
	run := env.Load(t, load.Scenarios{"buyers": load.ConstantVUs{VUs: 4, Duration: 8 * time.Second,
		Exec: func(ctx context.Context, vu *load.VU) error {
			a := attempt{start: time.Now()}
			res, err := fixtures.PlaceOrder(ctx, vu, front)
			a.end, a.ok = time.Now(), err == nil && res.Succeeded
			mu.Lock()
			attempts = append(attempts, a)
			mu.Unlock()
			return err
		}}}, nil)
	change := func(variant string, wantOK bool) {
		time.Sleep(3 * time.Second)
		began := time.Now()
		if err := admin.Set(context.Background(), rolloutFlag, variant); err != nil {
			t.Fatal(err)
		}
		set := time.Now()
		time.Sleep(time.Second)
		mu.Lock()
		defer mu.Unlock()
		first, seen := time.Time{}, 0
		for _, a := range attempts {
			if a.start.After(set) {
				seen++
				if a.ok != wantOK {
					t.Errorf("%s=%s: a checkout started %s after the change answered ok=%v", rolloutFlag, variant, a.start.Sub(set), a.ok)
				}
			}
			if a.end.After(began) && a.ok == wantOK && (first.IsZero() || a.end.Before(first)) {
				first = a.end
			}
		}
		if seen == 0 {
			t.Fatalf("%s=%s: no checkout started in the second after the change", rolloutFlag, variant)
		}
		t.Logf("%s=%s: admin call %s; first checkout answering under it %s after the call began; %d checkouts since, all under it",
			rolloutFlag, variant, set.Sub(began).Round(time.Microsecond), first.Sub(began).Round(time.Microsecond), seen)
	}
	change("100%", false)
	change("off", true)
	run.Wait(t)
}
