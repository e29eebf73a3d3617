//go:build linux

package load

import (
	"syscall"
	"time"
)

// nanosleep blocks the calling thread for d: the goroutine is in a system
// call, so the runtime's timer granularity does not apply.
func nanosleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
