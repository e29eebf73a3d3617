package browser

import "github.com/gameday-dev/gameday/harness"

// StartPool starts a pool for a test and closes it in tb.Cleanup, whatever
// the test's outcome (failure, panic). It fails the test when Chromium
// cannot start.
func StartPool(tb harness.T, cfg PoolConfig) *Pool {
	tb.Helper()
	p, err := NewPool(tb.Context(), cfg)
	if err != nil {
		tb.Fatalf("start browser pool: %v", err)
	}
	tb.Cleanup(func() {
		if err := p.Close(); err != nil {
			tb.Errorf("close browser pool: %v", err)
		}
	})
	return p
}
