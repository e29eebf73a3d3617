//go:build linux

package load

import (
	"syscall"
	"time"
)

// prSetTimerSlack is prctl's PR_SET_TIMERSLACK.
const prSetTimerSlack = 29

// nanosleep blocks the calling thread for d: the goroutine is in a system
// call, so the runtime's timer granularity does not apply. The thread's
// timer slack (by default the kernel may end a sleep up to 50 µs late) is
// set to 1 ns first.
func nanosleep(d time.Duration) {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, 1, 0)
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
