package proxy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
)

// ErrClosed is returned for operations on a closed proxy.
var ErrClosed = errors.New("proxy closed")

// activeFault is an installed HTTP or gRPC fault; gen identifies it so that
// an expiring TTL timer never clears its successor.
type activeFault struct {
	avg, variation time.Duration
	rate           float64
	code           int
	message        string
	exclude        []string
	gen            uint64
}

// SetHTTPFault installs f for HTTP requests (nil clears). The fault clears
// itself after ttl; ttl must be > 0 when f is not nil.
func (p *Proxy) SetHTTPFault(ctx context.Context, f *HTTPFault, ttl time.Duration) error {
	if f == nil {
		return p.setFault(ctx, false, nil, 0)
	}
	if err := p.checkLayer(kind.LayerHTTP); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("http fault for %s: %w", p.cfg.Service, err)
	}
	a := &activeFault{avg: f.AverageDelay, variation: f.DelayVariation, rate: f.ErrorRate,
		code: f.ErrorCode, message: f.ErrorBody, exclude: slices.Clone(f.Exclude)}
	return p.setFault(ctx, false, a, ttl)
}

// SetGRPCFault installs f for gRPC calls (nil clears). The fault clears
// itself after ttl; ttl must be > 0 when f is not nil.
func (p *Proxy) SetGRPCFault(ctx context.Context, f *GRPCFault, ttl time.Duration) error {
	if f == nil {
		return p.setFault(ctx, true, nil, 0)
	}
	if err := p.checkLayer(kind.LayerGRPC); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("grpc fault for %s: %w", p.cfg.Service, err)
	}
	a := &activeFault{avg: f.AverageDelay, variation: f.DelayVariation, rate: f.ErrorRate,
		code: f.StatusCode, message: f.StatusMessage, exclude: slices.Clone(f.Exclude)}
	return p.setFault(ctx, true, a, ttl)
}

// ErrProtocolMismatch refuses a fault for another protocol than the
// service speaks: a gRPC fault on an HTTP service would never match a call.
var ErrProtocolMismatch = errors.New("fault does not match the service's protocol")

// checkLayer refuses an HTTP or gRPC fault on a service of another protocol.
func (p *Proxy) checkLayer(l kind.Layer) error {
	if string(l) != string(p.cfg.Protocol) {
		return fmt.Errorf("%s fault for %s: %s speaks %s: %w", l, p.cfg.Service, p.cfg.Service, p.cfg.Protocol, ErrProtocolMismatch)
	}
	return nil
}

func (p *Proxy) setFault(ctx context.Context, grpc bool, a *activeFault, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a != nil && ttl <= 0 {
		return fmt.Errorf("fault for %s: ttl %s must be > 0", p.cfg.Service, ttl)
	}
	slot, timer := &p.httpFault, &p.httpTimer
	if grpc {
		slot, timer = &p.grpcFault, &p.grpcTimer
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		if a == nil {
			return nil
		}
		return ErrClosed
	}
	if *timer != nil {
		(*timer).Stop()
		*timer = nil
	}
	if a == nil {
		slot.Store(nil)
		return nil
	}
	p.faultGen++
	a.gen = p.faultGen
	slot.Store(a)
	*timer = time.AfterFunc(ttl, func() { slot.CompareAndSwap(a, nil) })
	return nil
}

// plan is what the proxy does to one request before forwarding it.
type plan struct {
	delay time.Duration
	fail  bool
	code  int
	body  string
}

// planFor draws this request's delay and error from the active fault.
// xk6-disruptor's semantics: the delay is uniform in [avg−var, avg+var] and
// applies to every request the fault covers; ErrorRate is the chance that
// the proxy answers with the error instead of forwarding.
func (p *Proxy) planFor(grpc bool, path string) plan {
	a := p.httpFault.Load()
	if grpc {
		a = p.grpcFault.Load()
	}
	if a == nil || excluded(a.exclude, path, grpc) {
		return plan{}
	}
	pl := plan{delay: drawDelay(a.avg, a.variation)}
	if a.rate > 0 && rand.Float64() < a.rate {
		pl.fail, pl.code, pl.body = true, a.code, a.message
	}
	return pl
}

// drawDelay is uniform in [avg−variation, avg+variation].
func drawDelay(avg, variation time.Duration) time.Duration {
	if variation <= 0 {
		return avg
	}
	return avg - variation + time.Duration(rand.Int64N(int64(2*variation)+1))
}

// excluded reports whether the request is left alone: HTTP paths match
// exactly; gRPC excludes are full service names ("pkg.Service") matched
// against the "/pkg.Service/Method" path.
func excluded(exclude []string, path string, grpc bool) bool {
	if len(exclude) == 0 {
		return false
	}
	key := path
	if grpc {
		key = strings.TrimPrefix(path, "/")
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			key = key[:i]
		}
	}
	return slices.Contains(exclude, key)
}

// sleepCtx waits d or until ctx is done; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
