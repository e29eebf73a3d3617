package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy is a transparent fault proxy in front of one service. It forwards
// every connection accepted by Serve to the upstream, counts requests per
// caller and outcome, and injects the faults set on it. Without a fault,
// traffic passes untouched. Safe for concurrent use.
type Proxy struct {
	cfg   Config
	edges *edgeCounter
	http  *httpForwarder // nil for TCP
	tox   *toxics

	ctx    context.Context // cancelled by Close: aborts in-flight work
	cancel context.CancelFunc
	wg     sync.WaitGroup // connection pipes and fault waits

	httpFault, grpcFault atomic.Pointer[activeFault]
	planHook             func(*http.Request, plan) // tests: see each request's drawn fault

	mu        sync.Mutex
	closed    bool
	conns     map[*conn]struct{}
	servers   []*http.Server
	listeners []net.Listener
	callers   map[string]string // IP → caller, sidecar mode
	blocked   map[string]bool
	pauseCh   chan struct{} // non-nil while paused; closed on unpause
	paused    atomic.Bool   // pauseCh != nil, read without the lock
	httpTimer *time.Timer
	grpcTimer *time.Timer
	faultGen  uint64
}

// New returns a proxy for cfg.Service. It listens nowhere until Serve. An
// upstream that is not loopback nor in cfg.AllowHosts is refused with
// ErrUpstreamNotAllowed.
func New(cfg Config) (*Proxy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("proxy config: %w", err)
	}
	if err := checkUpstream(context.Background(), cfg.Upstream, cfg.AllowHosts); err != nil {
		return nil, fmt.Errorf("proxy for %s: %w", cfg.Service, err)
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		cfg:     cfg,
		edges:   newEdgeCounter(cfg.Service, cfg.Registry),
		ctx:     ctx,
		cancel:  cancel,
		conns:   map[*conn]struct{}{},
		callers: map[string]string{},
		blocked: map[string]bool{},
	}
	p.tox = newToxics(cfg.Service, cfg.Upstream)
	if cfg.Protocol != TCP {
		p.http = newHTTPForwarder(p)
		p.tox.onIdle = p.http.closeIdleToxic
	}
	return p, nil
}

// Service is the name of the service behind the proxy.
func (p *Proxy) Service() string { return p.cfg.Service }

// Upstream is the address the proxy forwards to.
func (p *Proxy) Upstream() string { return p.cfg.Upstream }

// Serve accepts connections on ln until ln fails or the proxy is closed,
// forwarding each to the upstream. caller names every connection's caller
// (embedded mode: one listener per caller → callee edge); "" names each
// from its remote address through Config.CallerOf or SetCallers (sidecar
// mode). Serve takes ownership of ln and returns nil after Close.
func (p *Proxy) Serve(ln net.Listener, caller string) error {
	if !p.adopt(ln) {
		return nil
	}
	l := &listener{Listener: ln, p: p, caller: caller}

	var err error
	if p.http != nil {
		err = p.http.serveHTTP(l)
	} else {
		err = p.serveTCP(l)
	}
	if p.isClosed() || errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return fmt.Errorf("serve proxy for %s: %w", p.cfg.Service, err)
}

// ServePort accepts connections on ln as Serve does and pipes each, as raw
// TCP, to upstream: another port of the same service, for a service its
// callers reach on more than one port. Those connections share the
// proxy's callers, partitions, pause and Down faults, and count on the
// same edges as tcp_conn outcomes (not as requests, so amplification stays
// the main port's); HTTP, gRPC and the other TCP faults act on the main
// port only. upstream must pass the same traffic rule as Config.Upstream.
func (p *Proxy) ServePort(ln net.Listener, caller, upstream string) error {
	if err := checkUpstream(p.ctx, upstream, p.cfg.AllowHosts); err != nil {
		_ = ln.Close()
		return fmt.Errorf("proxy for %s: %w", p.cfg.Service, err)
	}
	if !p.adopt(ln) {
		return nil
	}
	l := &listener{Listener: ln, p: p, caller: caller}
	err := p.acceptEach(l, func(c *conn) { p.pipeTo(c, upstream, false) })
	if p.isClosed() || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return fmt.Errorf("serve proxy for %s on %s: %w", p.cfg.Service, ln.Addr(), err)
}

// adopt takes ownership of ln, to be closed by Close; false (ln closed)
// when the proxy is closed already.
func (p *Proxy) adopt(ln net.Listener) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = ln.Close()
		return false
	}
	p.listeners = append(p.listeners, ln)
	return true
}

// CloseIdleConnections drops pooled upstream connections, e.g. after the
// service behind the proxy was restarted.
func (p *Proxy) CloseIdleConnections() {
	if p.http != nil {
		p.http.closeIdle()
	}
}

// Close stops every listener, resets every open connection, clears faults
// and waits for the proxy's goroutines. Safe to call twice.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	servers, listeners := p.servers, p.listeners
	if p.pauseCh != nil {
		close(p.pauseCh)
		p.pauseCh = nil
		p.paused.Store(false)
	}
	for _, t := range []*time.Timer{p.httpTimer, p.grpcTimer} {
		if t != nil {
			t.Stop()
		}
	}
	p.httpFault.Store(nil)
	p.grpcFault.Store(nil)
	p.mu.Unlock()

	p.cancel()
	for _, s := range servers {
		_ = s.Close()
	}
	for _, ln := range listeners {
		_ = ln.Close()
	}
	p.resetConns("")
	p.wg.Wait()
	p.tox.close()
	if p.http != nil {
		p.http.closeIdle()
	}
	return nil
}

func (p *Proxy) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// discardLog silences net/http's per-connection error logging: a failed
// request is counted as an outcome, not printed.
var discardLog = log.New(io.Discard, "", 0)
