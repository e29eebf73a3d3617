package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/Shopify/toxiproxy/v2/stream"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
)

// quietToxiproxy silences zerolog's global logger, which Toxiproxy's
// bandwidth toxic writes trace lines to (its other parts take the Nop
// logger we give them). Nothing else in gameday uses zerolog.
var quietToxiproxy sync.Once

// ErrDown is the dial error while a kind.Down fault is active.
var ErrDown = errors.New("service down (tcp fault)")

// toxics owns the in-process Toxiproxy proxy in front of the upstream. It
// is started on first use, and pass-through traffic pays nothing for it:
// HTTP and gRPC traffic only detours through it while a TCP fault is
// active; TCP-protocol connections are piped straight to the upstream and
// hand their downstream half to its toxic chain when a fault begins, so
// faults reach connections that were open before the fault.
type toxics struct {
	service, upstream string
	onIdle            func() // called when the last fault is removed

	on atomic.Bool // a toxic or kind.Down is active

	mu     sync.Mutex
	srv    *toxiproxy.ApiServer
	tp     *toxiproxy.Proxy
	conns  map[*tcpConn]struct{} // open TCP-protocol connections
	links  int
	faults map[string]*time.Timer // toxic name → its TTL timer
	down   map[string]*time.Timer
	seq    int
	closed bool
}

func newToxics(service, upstream string) *toxics {
	return &toxics{service: service, upstream: upstream, conns: map[*tcpConn]struct{}{},
		faults: map[string]*time.Timer{}, down: map[string]*time.Timer{}}
}

func (t *toxics) active() bool { return t.on.Load() }

// dialAddr is where to connect to reach the upstream through the toxics.
func (t *toxics) dialAddr() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return "", ErrClosed
	}
	if len(t.down) > 0 {
		return "", ErrDown
	}
	if err := t.startLocked(); err != nil {
		return "", err
	}
	return t.tp.Listen, nil
}

func (t *toxics) startLocked() error {
	if t.tp != nil {
		if !t.tp.Enabled {
			if err := t.tp.Start(); err != nil {
				return fmt.Errorf("restart toxiproxy for %s: %w", t.service, err)
			}
		}
		return nil
	}
	quietToxiproxy.Do(func() { zlog.Logger = zerolog.Nop() })
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	tp := toxiproxy.NewProxy(srv, t.service, "127.0.0.1:0", t.upstream)
	if err := tp.Start(); err != nil {
		return fmt.Errorf("start toxiproxy for %s: %w", t.service, err)
	}
	t.srv, t.tp = srv, tp
	return nil
}

// add installs f until ttl passes or remove is called.
func (t *toxics) add(f TCPFault, ttl time.Duration) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	t.seq++
	tx := f.Toxic()
	if tx.Type == "" { // kind.Down
		name := fmt.Sprintf("down_%d", t.seq)
		if t.tp != nil {
			t.tp.Stop() // refuses new connections, resets open ones
		}
		t.down[name] = time.AfterFunc(ttl, func() { t.remove(name) })
		t.on.Store(true)
		for tc := range t.conns {
			reset(tc.client)
			_ = tc.up.Close()
		}
		return nil
	}
	if err := t.startLocked(); err != nil {
		return err
	}
	name := fmt.Sprintf("%s_%d", tx.Type, t.seq)
	body, err := json.Marshal(map[string]any{"name": name, "type": tx.Type, "stream": "downstream",
		"toxicity": 1, "attributes": tx.Attributes})
	if err != nil {
		return fmt.Errorf("encode toxic %s: %w", name, err)
	}
	if _, err := t.tp.Toxics.AddToxicJson(bytes.NewReader(body)); err != nil {
		return fmt.Errorf("add toxic %s to %s: %w", name, t.service, err)
	}
	t.faults[name] = time.AfterFunc(ttl, func() { t.remove(name) })
	t.on.Store(true)
	for tc := range t.conns {
		tc.interrupt() // its reader wakes, sees the fault, hands off
	}
	return nil
}

// dialDirect connects to the upstream, unless a Down fault is active.
func (t *toxics) dialDirect(ctx context.Context, addr string, timeout time.Duration) (net.Conn, error) {
	t.mu.Lock()
	down := len(t.down) > 0
	t.mu.Unlock()
	if down {
		return nil, ErrDown
	}
	d := net.Dialer{Timeout: timeout}
	return d.DialContext(ctx, "tcp", addr)
}

// track registers an open TCP-protocol connection.
func (t *toxics) track(client, up net.Conn) *tcpConn {
	tc := &tcpConn{client: client, up: up}
	t.mu.Lock()
	t.conns[tc] = struct{}{}
	t.mu.Unlock()
	return tc
}

func (t *toxics) untrack(tc *tcpConn) {
	t.mu.Lock()
	delete(t.conns, tc)
	t.mu.Unlock()
}

// handOff gives tc's downstream half (upstream → client) to the toxic
// chain, starting with pending (bytes read from up, not yet passed on);
// done is closed when the chain has finished the stream. ok is false when
// the connection cannot be handed off (not TCP: the toxics need TCP
// connections) or no toxic is active any more.
func (t *toxics) handOff(tc *tcpConn, pending []byte) (done chan struct{}, ok bool) {
	up, uok := tc.up.(*net.TCPConn)
	client, cok := tc.client.(*net.TCPConn)
	t.mu.Lock()
	defer t.mu.Unlock()
	tc.woken() // lift a wake-up deadline: the chain reads up from here on
	if !uok || !cok || t.closed || t.tp == nil || len(t.faults) == 0 {
		return nil, false
	}
	t.links++
	name := fmt.Sprintf("gameday-%d", t.links)
	for n := range t.faults {
		if strings.HasPrefix(n, "reset_peer_") {
			// Toxiproxy's reset toxic needs the bare *net.TCPConns (it sets
			// SO_LINGER on them), so the end of the stream cannot be
			// watched, nor pending bytes put first: they go out now, as the
			// reset comes only after its timeout.
			if len(pending) > 0 {
				_, _ = client.Write(pending)
			}
			t.tp.Toxics.StartLink(t.srv, name, up, client, stream.Downstream)
			return nil, true
		}
	}
	var in io.Reader = up
	if len(pending) > 0 {
		in = io.MultiReader(bytes.NewReader(slices.Clone(pending)), up)
	}
	end := &linkEnd{TCPConn: client, done: make(chan struct{})}
	t.tp.Toxics.StartLink(t.srv, name, in, end, stream.Downstream)
	return end.done, true
}

// linkEnd is the client end of a handed-off stream; the toxic chain closes
// it when the stream is over.
type linkEnd struct {
	*net.TCPConn
	once sync.Once
	done chan struct{}
}

func (l *linkEnd) Close() error {
	err := l.TCPConn.Close()
	l.once.Do(func() { close(l.done) })
	return err
}

// remove clears one fault by name ("" clears all).
func (t *toxics) remove(name string) {
	t.mu.Lock()
	idle := t.removeLocked(name)
	t.mu.Unlock()
	if idle && t.onIdle != nil {
		t.onIdle()
	}
}

func (t *toxics) removeLocked(name string) (nowIdle bool) {
	wasOn := t.on.Load()
	for n, timer := range t.down {
		if name == "" || n == name {
			timer.Stop()
			delete(t.down, n)
		}
	}
	for n, timer := range t.faults {
		if name == "" || n == name {
			timer.Stop()
			delete(t.faults, n)
			if t.tp != nil {
				_ = t.tp.Toxics.RemoveToxic(context.Background(), n)
			}
		}
	}
	if len(t.down) == 0 && t.tp != nil && !t.tp.Enabled && !t.closed {
		_ = t.startLocked() // a failed restart surfaces on the next dial
	}
	on := len(t.down)+len(t.faults) > 0
	t.on.Store(on)
	return wasOn && !on
}

func (t *toxics) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	t.removeLocked("")
	if t.tp != nil {
		t.tp.Stop()
	}
}

// AddToxic applies a TCP fault to the service until ttl passes (ttl > 0)
// or RemoveToxics is called. Faults add up: two latency faults add their
// latencies.
func (p *Proxy) AddToxic(ctx context.Context, f TCPFault, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f == nil {
		return fmt.Errorf("tcp fault for %s: no fault", p.cfg.Service)
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("tcp fault for %s: %w", p.cfg.Service, err)
	}
	if ttl <= 0 {
		return fmt.Errorf("tcp fault for %s: ttl %s must be > 0", p.cfg.Service, ttl)
	}
	return p.tox.add(f, ttl)
}

// RemoveToxics clears every TCP fault on the service.
func (p *Proxy) RemoveToxics(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.tox.remove("")
	return nil
}
