package fault

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// fakeRunning is a Running with every capability. It records each action
// and what is in force now, optionally appending actions to a file so a
// parent process can read what a child did before it died.
type fakeRunning struct {
	kind     string
	services []string
	logFile  string

	mu     sync.Mutex
	log    []string
	active map[string]string // "http:cart" -> description
	ttls   []time.Duration
	fail   map[string]error // action ("kill cart") -> error to return
}

func newFake(services ...string) *fakeRunning {
	return &fakeRunning{kind: "fake", services: services, active: map[string]string{}, fail: map[string]error{}}
}

func (f *fakeRunning) Kind() string       { return f.kind }
func (f *fakeRunning) Services() []string { return slices.Clone(f.services) }
func (f *fakeRunning) Addr(svc string) (string, error) {
	return "127.0.0.1:1", nil
}
func (f *fakeRunning) Stop(context.Context) error { return nil }

// record logs action and sets (on) or clears (off) key in the active set.
func (f *fakeRunning) record(action, key, desc string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail[action]; err != nil {
		return err
	}
	f.log = append(f.log, action)
	if on {
		f.active[key] = desc
	} else {
		delete(f.active, key)
	}
	if f.logFile != "" {
		fh, err := os.OpenFile(f.logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintln(fh, action)
			fh.Sync()
			fh.Close()
		}
	}
	return nil
}

func (f *fakeRunning) Log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

// Active lists what is in force, sorted.
func (f *fakeRunning) Active() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.active {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (f *fakeRunning) Proxy(svc string) (target.FaultProxy, error) {
	if !slices.Contains(f.services, svc) {
		return nil, target.ErrUnknownService
	}
	return &fakeProxy{f: f, svc: svc}, nil
}

func (f *fakeRunning) Edges(context.Context) ([]proxy.Edge, error) { return nil, nil }

func (f *fakeRunning) Kill(_ context.Context, svc string) error {
	return f.record("kill "+svc, "down:"+svc, "killed", true)
}
func (f *fakeRunning) Start(_ context.Context, svc string) error {
	return f.record("start "+svc, "down:"+svc, "", false)
}
func (f *fakeRunning) Pause(_ context.Context, svc string) error {
	return f.record("pause "+svc, "paused:"+svc, "paused", true)
}
func (f *fakeRunning) Unpause(_ context.Context, svc string) error {
	return f.record("unpause "+svc, "paused:"+svc, "", false)
}
func (f *fakeRunning) Partition(_ context.Context, from, to string) error {
	return f.record("partition "+from+">"+to, "cut:"+from+">"+to, "cut", true)
}
func (f *fakeRunning) Heal(_ context.Context, from, to string) error {
	return f.record("heal "+from+">"+to, "cut:"+from+">"+to, "", false)
}
func (f *fakeRunning) SetMemoryLimit(_ context.Context, svc string, b int64) error {
	return f.record(fmt.Sprintf("memory %s %d", svc, b), "memory:"+svc, fmt.Sprint(b), b != 0)
}
func (f *fakeRunning) SetCPULimit(_ context.Context, svc string, cpus float64) error {
	return f.record(fmt.Sprintf("cpu %s %g", svc, cpus), "cpu:"+svc, fmt.Sprint(cpus), cpus != 0)
}
func (f *fakeRunning) AddToxic(_ context.Context, svc string, t proxy.TCPFault, ttl time.Duration) error {
	f.mu.Lock()
	f.ttls = append(f.ttls, ttl)
	f.mu.Unlock()
	if err := t.Validate(); err != nil { // what the real proxy refuses
		return err
	}
	tx := t.Toxic()
	return f.record("tcp+ "+svc, "tcp:"+svc, fmt.Sprintf("%s %v", tx.Type, tx.Attributes), true)
}
func (f *fakeRunning) RemoveToxics(_ context.Context, svc string) error {
	return f.record("tcp- "+svc, "tcp:"+svc, "", false)
}
func (f *fakeRunning) State(context.Context, string) (target.State, error) {
	return target.State{Running: true}, nil
}

type fakeProxy struct {
	f   *fakeRunning
	svc string
}

func (p *fakeProxy) ttl(d time.Duration) {
	p.f.mu.Lock()
	p.f.ttls = append(p.f.ttls, d)
	p.f.mu.Unlock()
}

func (p *fakeProxy) SetHTTPFault(_ context.Context, h *proxy.HTTPFault, ttl time.Duration) error {
	p.ttl(ttl)
	if h == nil {
		return p.f.record("http- "+p.svc, "http:"+p.svc, "", false)
	}
	return p.f.record("http+ "+p.svc, "http:"+p.svc, fmt.Sprintf("%+v", *h), true)
}

func (p *fakeProxy) SetGRPCFault(_ context.Context, g *proxy.GRPCFault, ttl time.Duration) error {
	p.ttl(ttl)
	if g == nil {
		return p.f.record("grpc- "+p.svc, "grpc:"+p.svc, "", false)
	}
	return p.f.record("grpc+ "+p.svc, "grpc:"+p.svc, fmt.Sprintf("%+v", *g), true)
}

// bareRunning has no capabilities at all.
type bareRunning struct{ services []string }

func (b bareRunning) Kind() string                { return "bare" }
func (b bareRunning) Services() []string          { return b.services }
func (b bareRunning) Addr(string) (string, error) { return "", target.ErrUnknownService }
func (b bareRunning) Stop(context.Context) error  { return nil }

// AddToxic and RemoveToxics make fakeProxy a target.TCPFaultProxy, the
// path TCP kinds take when the Running itself is no TCPFaulter.
func (p *fakeProxy) AddToxic(ctx context.Context, t proxy.TCPFault, ttl time.Duration) error {
	return p.f.AddToxic(ctx, p.svc, t, ttl)
}

func (p *fakeProxy) RemoveToxics(ctx context.Context) error { return p.f.RemoveToxics(ctx, p.svc) }

// proxiedOnly exposes nothing of a fakeRunning but its proxies.
type proxiedOnly struct{ f *fakeRunning }

func (p proxiedOnly) Kind() string                                    { return "proxied" }
func (p proxiedOnly) Services() []string                              { return p.f.Services() }
func (p proxiedOnly) Addr(s string) (string, error)                   { return p.f.Addr(s) }
func (p proxiedOnly) Stop(ctx context.Context) error                  { return nil }
func (p proxiedOnly) Proxy(s string) (target.FaultProxy, error)       { return p.f.Proxy(s) }
func (p proxiedOnly) Edges(ctx context.Context) ([]proxy.Edge, error) { return nil, nil }
