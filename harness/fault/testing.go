package fault

import (
	"context"
	"github.com/gameday-dev/gameday/harness/handle"
)

// InjectT injects f like Inject and reverts it in tb's Cleanup, which runs
// when the test ends however it ends: passed, failed (t.Fatal) or
// panicked. The injection is also reverted when the test's context is
// cancelled. It fails the test at once if the fault is refused.
func InjectT(tb handle.T, inj *Injector, selector string, f Fault, sched Schedule) *Injection {
	tb.Helper()
	i, err := inj.Inject(tb.Context(), selector, f, sched)
	tb.Cleanup(func() {
		if i == nil {
			return
		}
		if err := i.Revert(context.Background()); err != nil {
			tb.Errorf("revert %s in %s: %v", i.Fault(), i.Selector(), err)
		}
	})
	if err != nil {
		tb.Fatalf("inject: %v", err)
	}
	return i
}
