package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// instance is one run of a service: a goroutine (funcInstance) or a
// program (procInstance). A restart makes a new instance.
type instance interface {
	// stop ends the instance (gracefully when asked and the kind knows
	// how) and waits for it to end or ctx to end.
	stop(ctx context.Context, graceful bool) error
	// done is closed when the instance ended; result is then its error.
	done() <-chan struct{}
	result() error
}

// service is one service of the running system: its fixed address and its
// current instance (none for an external service).
type service struct {
	spec  target.Service
	env   target.Env
	addr  string // host:port, fixed for the system's life so restarts keep it
	ns    *netns // the network namespace of a fixed-port process, or nil
	cg    *cgroup
	cgErr error // why there is no cgroup

	mu         sync.Mutex
	ln         *trackListener // a func service's listener, bound at wiring
	inst       instance
	running    bool // started and not killed
	paused     bool
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

// started records a new instance.
func (s *service) started(inst instance) {
	s.mu.Lock()
	s.inst, s.running, s.paused, s.startedAt = inst, true, false, time.Now()
	s.mu.Unlock()
	go func() {
		<-inst.done()
		s.mu.Lock()
		if s.inst == inst {
			s.finishedAt = time.Now()
		}
		s.mu.Unlock()
	}()
}

// kill ends the current instance (gracefully if asked) and waits for it.
func (s *service) kill(ctx context.Context, graceful bool) error {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return nil
	}
	s.running, s.paused = false, false
	inst := s.inst
	s.mu.Unlock()
	if err := inst.stop(ctx, graceful); err != nil {
		return fmt.Errorf("kill %s: %w", s.spec.Name, err)
	}
	return nil
}

// current is the running instance, or nil.
func (s *service) current() instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return nil
	}
	return s.inst
}

// exited reports whether the instance ended, and its error.
func (s *service) exited() (bool, error) {
	s.mu.Lock()
	inst := s.inst
	s.mu.Unlock()
	if inst == nil {
		return false, nil
	}
	select {
	case <-inst.done():
		return true, inst.result()
	default:
		return false, nil
	}
}

func (s *service) state() target.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := target.State{Restarts: s.restarts, StartedAt: s.startedAt, FinishedAt: s.finishedAt}
	if s.spec.External != nil {
		st.Running = true // as far as gameday knows: it does not run it
	}
	if s.running && s.inst != nil {
		select {
		case <-s.inst.done():
		default:
			st.Running = true
		}
	}
	if s.cg != nil {
		st.OOMKilled, st.MemoryBytes = s.cg.oomKilled(), s.cg.memoryBytes()
	}
	return st
}

// errNeverReady explains a service that did not get ready in time.
func errNeverReady(name string, exited bool, runErr error, cause error) error {
	switch {
	case exited && runErr != nil:
		return fmt.Errorf("service %s exited before it was ready: %w", name, runErr)
	case exited:
		return fmt.Errorf("service %s ended before it was ready", name)
	case cause != nil:
		return fmt.Errorf("service %s never got ready: %w", name, cause)
	}
	return fmt.Errorf("service %s never got ready", name)
}

var errNotReady = errors.New("not ready")
