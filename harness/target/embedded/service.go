package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// service is one running (or killed) service: its fixed address, its
// listener and the goroutine running it.
type service struct {
	spec target.Service
	env  target.Env
	addr string // host:port, fixed for the system's life so restarts keep it

	mu         sync.Mutex
	ln         *trackListener
	cancel     context.CancelFunc
	done       chan struct{} // closed when Run returns
	err        error         // Run's result, set before done closes
	running    bool          // started and not killed
	restarts   int
	startedAt  time.Time
	finishedAt time.Time
}

// listen binds the service's address (its first free port the first time,
// the same port on restarts).
func (s *service) listen(host string) (*trackListener, error) {
	addr := s.addr
	if addr == "" {
		addr = net.JoinHostPort(host, "0")
	}
	var ln net.Listener
	var err error
	// A port just released may linger briefly; retry a restart a few times.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil || s.addr == "" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("listen for %s: %w", s.spec.Name, err)
	}
	s.addr = ln.Addr().String()
	return newTrackListener(ln), nil
}

// run starts Run on ln in its own goroutine; a panic becomes Run's error.
func (s *service) run(ln *trackListener) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.mu.Lock()
	s.ln, s.cancel, s.done, s.err = ln, cancel, done, nil
	s.running, s.startedAt = true, time.Now()
	s.mu.Unlock()
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
			s.mu.Lock()
			s.err, s.finishedAt = err, time.Now()
			s.mu.Unlock()
			close(done)
		}()
		err = s.spec.Run(ctx, ln, env)
	}()
}

// kill cancels the service, closes its listener and every connection it
// accepted, and waits for Run to return (or ctx to end).
func (s *service) kill(ctx context.Context) error {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return nil
	}
	s.running = false
	ln, cancel, done := s.ln, s.cancel, s.done
	s.mu.Unlock()
	cancel()
	_ = ln.Close()
	ln.closeConns()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("kill %s: Run did not return: %w", s.spec.Name, ctx.Err())
	}
}

// exited reports whether Run returned, and its error.
func (s *service) exited() (bool, error) {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return false, nil
	}
	select {
	case <-done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return true, s.err
	default:
		return false, nil
	}
}

func (s *service) state() target.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := target.State{Restarts: s.restarts, StartedAt: s.startedAt, FinishedAt: s.finishedAt}
	if s.running && s.done != nil {
		select {
		case <-s.done:
		default:
			st.Running = true
		}
	}
	return st
}

// errNeverReady explains a service that did not get ready in time.
func errNeverReady(name string, exited bool, runErr error, cause error) error {
	switch {
	case exited && runErr != nil:
		return fmt.Errorf("service %s exited before it was ready: %w", name, runErr)
	case exited:
		return fmt.Errorf("service %s returned from Run before it was ready", name)
	case cause != nil:
		return fmt.Errorf("service %s never got ready: %w", name, cause)
	}
	return fmt.Errorf("service %s never got ready", name)
}

var errNotReady = errors.New("not ready")
