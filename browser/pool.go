package browser

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPoolClosed is returned by journeys started after Close.
var ErrPoolClosed = errors.New("browser pool closed")

// Timeline event kinds written by a Pool.
const (
	EventBrowserStart = "browser.start"
	EventBrowserCrash = "browser.crash"
	EventBrowserStop  = "browser.stop"
)

// closeGrace bounds the graceful browser shutdown before the kill.
const closeGrace = 5 * time.Second

// Pool is one Chromium process shared by many virtual users, each in its own
// browser context. It is safe for concurrent use; Close is safe twice.
type Pool struct {
	cfg PoolConfig

	mu      sync.Mutex
	proc    *process
	gen     int
	idle    map[int]*session // a VU's context between its journeys
	live    int              // contexts open or being opened
	changed chan struct{}    // closed and replaced when a slot may be free
	closed  bool
	restart bool // the browser died: the next acquire starts a new one

	opened, recycled atomic.Int64

	stopWatch func() bool
	closeOnce sync.Once
	closeErr  error
}

// NewPool starts one Chromium process and returns a pool of browser
// contexts on it. Cancelling ctx closes the pool (like Close). The caller
// must Close the pool; in tests use StartPool, which registers it.
func NewPool(ctx context.Context, cfg PoolConfig) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("browser pool config: %w", err)
	}
	_ = sweepStale() // best effort: another run's leftovers must not stop this one
	p := &Pool{cfg: cfg.withDefaults(), idle: map[int]*session{}, changed: make(chan struct{})}
	if err := p.startLocked(ctx); err != nil {
		return nil, err
	}
	p.stopWatch = context.AfterFunc(ctx, func() { _ = p.Close() })
	return p, nil
}

// StartTime is how long the current browser process took to start.
func (p *Pool) StartTime() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc == nil {
		return 0
	}
	return p.proc.startTook
}

// PID is the current browser process's id (0 when none runs).
func (p *Pool) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc == nil {
		return 0
	}
	return p.proc.pid
}

// Generation counts browser processes started by the pool (1 for the first).
func (p *Pool) Generation() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gen
}

// startLocked starts a browser process; p.mu is held (or p is not shared yet).
func (p *Pool) startLocked(ctx context.Context) error {
	proc, err := startProcess(ctx, p.cfg, p.gen+1)
	if err != nil {
		return err
	}
	p.gen++
	p.proc = proc
	p.restart = false
	p.event(EventBrowserStart, "started", map[string]string{
		"pid": strconv.Itoa(proc.pid), "generation": strconv.Itoa(proc.gen), "took": proc.startTook.String()})
	go p.watch(proc)
	return nil
}

// watch marks the pool for a browser restart when proc dies unasked.
func (p *Pool) watch(proc *process) {
	<-proc.lost
	p.mu.Lock()
	current := p.proc == proc && !p.closed
	if current {
		p.restart = true
	}
	p.broadcastLocked()
	p.mu.Unlock()
	if current {
		p.event(EventBrowserCrash, "connection lost", map[string]string{
			"pid": strconv.Itoa(proc.pid), "generation": strconv.Itoa(proc.gen)})
	}
}

func (p *Pool) event(kind, name string, attrs map[string]string) {
	if p.cfg.Timeline != nil {
		p.cfg.Timeline.Add(kind, "chromium", name, attrs)
	}
}

func (p *Pool) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// acquire returns vu's browser context, opening one when it has none. It
// waits while MaxContexts contexts are busy, and starts a new browser first
// when the current one died.
func (p *Pool) acquire(ctx context.Context, vu int) (*session, error) {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrPoolClosed
		}
		if p.restart || p.proc.dead() {
			if err := p.replaceBrowserLocked(ctx); err != nil {
				p.mu.Unlock()
				return nil, err
			}
		}
		if s := p.idle[vu]; s != nil {
			delete(p.idle, vu)
			p.mu.Unlock()
			return s, nil
		}
		var evict *session
		if p.live >= p.cfg.MaxContexts {
			for id, s := range p.idle { // make room: close another VU's idle context
				evict = s
				delete(p.idle, id)
				p.live--
				break
			}
		}
		if p.live < p.cfg.MaxContexts {
			p.live++
			proc := p.proc
			p.mu.Unlock()
			if evict != nil {
				evict.close()
			}
			s, err := newSession(proc, vu, newCollector(p.cfg.Registry), p.cfg.StepTimeout)
			if err != nil {
				p.mu.Lock()
				p.live--
				p.broadcastLocked()
				p.mu.Unlock()
				return nil, err
			}
			p.opened.Add(1)
			return s, nil
		}
		wait := p.changed
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wait:
		}
	}
}

// replaceBrowserLocked stops the dead browser and starts a new one; p.mu is
// held, so other VUs wait for the new browser instead of racing to start one.
func (p *Pool) replaceBrowserLocked(ctx context.Context) error {
	old := p.proc
	for id, s := range p.idle { // contexts of a dead browser are dead too
		delete(p.idle, id)
		p.live--
		s.close()
	}
	_ = old.stop(closeGrace) // dead already: this kills leftovers and removes the dir
	p.event(EventBrowserStop, "replaced", map[string]string{"generation": strconv.Itoa(old.gen)})
	if err := p.startLocked(ctx); err != nil {
		p.restart = true
		return fmt.Errorf("replace browser: %w", err)
	}
	return nil
}

// release returns vu's context after a journey. A context that failed, ran
// RecycleAfter journeys, or belongs to a replaced browser is closed.
func (p *Pool) release(s *session, healthy bool) {
	s.uses++
	p.mu.Lock()
	keep := healthy && !p.closed && s.proc == p.proc && !p.restart && s.uses < p.cfg.RecycleAfter
	if keep {
		p.idle[s.vu] = s
	} else {
		p.live--
	}
	p.broadcastLocked()
	p.mu.Unlock()
	if !keep {
		if healthy {
			p.recycled.Add(1)
		}
		s.close()
	}
}

func (p *Pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Stats are a pool's counters.
type Stats struct {
	Browsers         int   // browser processes started (1 + replacements)
	ContextsOpened   int64 // browser contexts opened
	ContextsRecycled int64 // healthy contexts closed after RecycleAfter journeys
	Live             int   // contexts open now (idle or running a journey)
	Idle             int   // contexts waiting for their VU's next journey
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Browsers: p.gen, ContextsOpened: p.opened.Load(), ContextsRecycled: p.recycled.Load(),
		Live: p.live, Idle: len(p.idle)}
}

// Close closes every browser context, stops the browser, kills any process
// left using its user-data-dir and removes the directory. Journeys still
// running fail. Close is safe to call twice and from several goroutines.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		if p.stopWatch != nil {
			p.stopWatch()
		}
		p.mu.Lock()
		p.closed = true
		idle := p.idle
		p.idle = map[int]*session{}
		proc := p.proc
		p.broadcastLocked()
		p.mu.Unlock()
		for _, s := range idle {
			s.close()
		}
		if proc != nil {
			p.closeErr = proc.stop(closeGrace)
			p.event(EventBrowserStop, "closed", map[string]string{"generation": strconv.Itoa(proc.gen)})
		}
	})
	return p.closeErr
}
