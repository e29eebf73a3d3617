package embedded

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/gameday-dev/gameday/harness/target"
)

// funcInstance is a Go-function service running in a goroutine on its
// listener.
type funcInstance struct {
	ln     *trackListener
	cancel context.CancelFunc
	fin    chan struct{}
	err    error // Run's result, set before fin closes
}

// runFunc starts the service's Run on ln in its own goroutine; a panic
// becomes Run's error.
func runFunc(s *service, ln *trackListener) *funcInstance {
	ctx, cancel := context.WithCancel(context.Background())
	fi := &funcInstance{ln: ln, cancel: cancel, fin: make(chan struct{})}
	env := make(target.Env, len(s.env))
	for k, v := range s.env {
		env[k] = v
	}
	go func() {
		var err error
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("service %s panicked: %v\n%s", s.spec.Name, v, debug.Stack())
			}
			_ = ln.Close()
			fi.err = err
			close(fi.fin)
		}()
		err = s.spec.Run(ctx, ln, env)
	}()
	return fi
}

// stop cancels Run, closes its listener and every connection it accepted,
// and waits for Run to return. There is no gentler way for a goroutine.
func (f *funcInstance) stop(ctx context.Context, _ bool) error {
	f.cancel()
	_ = f.ln.Close()
	f.ln.closeConns()
	select {
	case <-f.fin:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("Run did not return: %w", ctx.Err())
	}
}

func (f *funcInstance) done() <-chan struct{} { return f.fin }
func (f *funcInstance) result() error         { return f.err }
