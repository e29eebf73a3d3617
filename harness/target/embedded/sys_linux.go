package embedded

import "syscall"

// setDeathSignal makes the kernel SIGKILL the child when the thread that
// forked it dies (see spawn).
func setDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

// intoCgroup starts the child inside the cgroup open at fd (clone3's
// CLONE_INTO_CGROUP).
func intoCgroup(attr *syscall.SysProcAttr, fd int) {
	attr.UseCgroupFD = true
	attr.CgroupFD = fd
}
