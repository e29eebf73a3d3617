package fault

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// signalRevertTimeout bounds reverting everything on SIGINT/SIGTERM.
const signalRevertTimeout = 10 * time.Second

// active is every injection not yet ended, across Injectors, for the signal
// path. While it is not empty, SIGINT and SIGTERM are caught: every active
// injection is reverted, then the signal is raised again so the process
// gets its usual fate (or the program's own handler sees it).
var active struct {
	mu   sync.Mutex
	set  map[*Injection]struct{}
	sigs chan os.Signal
	quit chan struct{}
}

func track(i *Injection) {
	active.mu.Lock()
	defer active.mu.Unlock()
	if active.set == nil {
		active.set = map[*Injection]struct{}{}
	}
	active.set[i] = struct{}{}
	if active.sigs == nil {
		active.sigs = make(chan os.Signal, 1)
		active.quit = make(chan struct{})
		signal.Notify(active.sigs, os.Interrupt, syscall.SIGTERM)
		go watchSignals(active.sigs, active.quit)
	}
}

func untrack(i *Injection) {
	active.mu.Lock()
	defer active.mu.Unlock()
	if _, ok := active.set[i]; !ok {
		return
	}
	delete(active.set, i)
	if len(active.set) == 0 && active.sigs != nil {
		stopWatching()
	}
}

// stopWatching gives the signals back; callers hold active.mu.
func stopWatching() {
	signal.Stop(active.sigs)
	close(active.quit)
	active.sigs, active.quit = nil, nil
}

func watchSignals(sigs chan os.Signal, quit chan struct{}) {
	select {
	case <-quit:
	case sig := <-sigs:
		revertOnSignal(sig)
	}
}

// revertOnSignal reverts every tracked injection, stops catching signals
// and raises sig again. With no other handler left, the runtime restores
// the default action, so the process ends as the signal intends.
func revertOnSignal(sig os.Signal) {
	active.mu.Lock()
	list := make([]*Injection, 0, len(active.set))
	for i := range active.set {
		list = append(list, i)
	}
	if active.sigs != nil {
		stopWatching()
	}
	active.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), signalRevertTimeout)
	defer cancel()
	finishAll(ctx, list)
	if s, ok := sig.(syscall.Signal); ok {
		echoes.Add(1)
		_ = syscall.Kill(os.Getpid(), s)
	}
}

func finishAll(ctx context.Context, list []*Injection) {
	var wg sync.WaitGroup
	for _, i := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = i.finish(ctx, ReasonSignal) // recorded on the timeline; nobody to return it to
		}()
	}
	wg.Wait()
}

// echoes counts signals revertOnSignal raised again and nobody took yet.
var echoes atomic.Int32

// TakeEcho reports whether a signal just received is the one the package
// raised again after reverting on the user's signal (and consumes it), so
// a program counting Ctrl-Cs does not take the echo for a second one.
func TakeEcho() bool {
	for {
		n := echoes.Load()
		if n <= 0 {
			return false
		}
		if echoes.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// RevertActive reverts every injection not yet ended, in every Injector of
// the process, within ctx — what a program forcing its exit (a second
// Ctrl-C) does before it goes.
func RevertActive(ctx context.Context) {
	active.mu.Lock()
	list := make([]*Injection, 0, len(active.set))
	for i := range active.set {
		list = append(list, i)
	}
	active.mu.Unlock()
	finishAll(ctx, list)
}
