package embedded

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// Linux's parent-death signal (PR_SET_PDEATHSIG) fires when the *thread*
// that forked the child exits, not the process. Go may retire any thread
// whose goroutine finished, so every program is forked from one goroutine
// that stays locked to its thread for the life of the test process: the
// signal then fires exactly when the test process dies, however it dies
// (SIGKILL included).

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

var spawner struct {
	once sync.Once
	reqs chan spawnReq
}

// spawn starts cmd from the locked spawner thread with SIGKILL as its
// parent-death signal and its own process group (so stopping it reaches
// its children too).
func spawn(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.reqs = make(chan spawnReq)
		go spawnLoop(spawner.reqs)
	})
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	setDeathSignal(cmd.SysProcAttr)
	req := spawnReq{cmd: cmd, done: make(chan error, 1)}
	spawner.reqs <- req
	return <-req.done
}

// spawnLoop never returns and never unlocks its thread.
func spawnLoop(reqs chan spawnReq) {
	runtime.LockOSThread()
	for req := range reqs {
		req.done <- req.cmd.Start()
	}
}
