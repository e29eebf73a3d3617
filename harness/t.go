package harness

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/gameday-dev/gameday/harness/handle"
)

// T is what the harness needs from a test: *testing.T satisfies it, and so
// does Runner, which `gameday run` uses to play the same scenarios outside
// `go test`. Every helper of gameday (fault.InjectT, browser.StartPool,
// flags.SetForTest, Env's methods, assertions) takes it.
type T = handle.T

// Runner is a T for use outside `go test`. Run executes a body with
// testing's semantics: Fatalf stops the body (runtime.Goexit), a panic is
// recovered and recorded as a failure, and cleanups run last-in-first-out
// whatever happened.
type Runner struct {
	name string
	ctx  context.Context
	log  func(string)

	mu       sync.Mutex
	failed   bool
	messages []string
	cleanups []func()
}

// NewRunner returns a Runner named name; log receives Logf lines (nil: dropped).
func NewRunner(ctx context.Context, name string, log func(string)) *Runner {
	return &Runner{name: name, ctx: ctx, log: log}
}

// Run calls body(r) on a new goroutine and waits for it and the cleanups.
func (r *Runner) Run(body func(T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer r.runCleanups()
		defer func() {
			if p := recover(); p != nil {
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				r.Errorf("panic: %v\n%s", p, buf)
			}
		}()
		body(r)
	}()
	<-done
}

func (r *Runner) runCleanups() {
	for {
		r.mu.Lock()
		n := len(r.cleanups)
		if n == 0 {
			r.mu.Unlock()
			return
		}
		f := r.cleanups[n-1]
		r.cleanups = r.cleanups[:n-1]
		r.mu.Unlock()
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.Errorf("panic in cleanup: %v", p)
				}
			}()
			f()
		}()
	}
}

func (r *Runner) Helper()                  {}
func (r *Runner) Name() string             { return r.name }
func (r *Runner) Context() context.Context { return r.ctx }

func (r *Runner) Cleanup(f func()) {
	r.mu.Lock()
	r.cleanups = append(r.cleanups, f)
	r.mu.Unlock()
}

func (r *Runner) Errorf(format string, args ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, args...))
	r.mu.Lock()
	r.failed = true
	r.messages = append(r.messages, msg)
	r.mu.Unlock()
	if r.log != nil {
		r.log(msg)
	}
}

func (r *Runner) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *Runner) Logf(format string, args ...any) {
	if r.log != nil {
		r.log(fmt.Sprintf(format, args...))
	}
}

func (r *Runner) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// Messages returns every Errorf/Fatalf message so far.
func (r *Runner) Messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.messages...)
}
