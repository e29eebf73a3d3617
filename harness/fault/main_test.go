package fault

import (
	"testing"

	"go.uber.org/goleak"
)

// No injection may leave a goroutine (timer, signal watcher) behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
