//go:build !linux

package embedded

import "syscall"

// setDeathSignal does nothing: only Linux has a parent-death signal, so
// elsewhere a program can outlive a test process that is SIGKILLed (a
// normal end, a failure or Ctrl-C still stop it).
func setDeathSignal(*syscall.SysProcAttr) {}

// intoCgroup does nothing: there are no cgroups outside Linux, and
// newCgroup never succeeds there.
func intoCgroup(*syscall.SysProcAttr, int) {}
