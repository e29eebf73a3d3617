//go:build !linux

package load

import (
	"runtime"
	"time"
)

// nanosleep yields until d has passed (no precise sleep call here).
func nanosleep(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		runtime.Gosched()
	}
}
