package proxy

import "context"

// SetPaused freezes (true) or thaws (false) the service as its callers see
// it: while paused the proxy accepts connections and requests but answers
// nothing and forwards no bytes; on unpause everything held proceeds.
func (p *Proxy) SetPaused(paused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
	case paused && p.pauseCh == nil:
		p.pauseCh = make(chan struct{})
		p.paused.Store(true)
	case !paused && p.pauseCh != nil:
		close(p.pauseCh)
		p.pauseCh = nil
		p.paused.Store(false)
	}
}

// Paused reports whether the proxy is paused.
func (p *Proxy) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pauseCh != nil
}

// waitUnpaused blocks while the proxy is paused; false means ctx ended or
// the proxy closed first.
func (p *Proxy) waitUnpaused(ctx context.Context) bool {
	if !p.paused.Load() {
		return true // the common case, without the lock
	}
	p.mu.Lock()
	ch := p.pauseCh
	p.mu.Unlock()
	if ch == nil {
		return true
	}
	select {
	case <-ch:
		return !p.isClosed()
	case <-ctx.Done():
		return false
	case <-p.ctx.Done():
		return false
	}
}

// Block partitions caller from the service (on) or heals the partition
// (off). While blocked, the caller's open connections are reset and new
// ones are reset as soon as they are accepted, as with a dropped route.
func (p *Proxy) Block(caller string, on bool) {
	p.mu.Lock()
	if on {
		p.blocked[caller] = true
	} else {
		delete(p.blocked, caller)
	}
	p.mu.Unlock()
	if on {
		p.resetConns(caller)
	}
}

func (p *Proxy) isBlocked(caller string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.blocked[caller]
}
