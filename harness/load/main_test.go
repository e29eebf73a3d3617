package load

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a run leaves goroutines behind (VUs,
// connections, timers' goroutines, the progress monitor).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
