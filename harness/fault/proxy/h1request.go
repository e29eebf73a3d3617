package proxy

import (
	"net/http"
	"time"
)

// open starts a request on the caller's edge: its plan (shown to the plan
// hook, which hookReq builds the request for), the pause and the injected
// delay. It returns the plan and how to record the request's outcome;
// false means the request has ended (recorded) and the connection must
// close.
func (h *h1conn) open(path string, hookReq func() *http.Request) (plan, func(outcome string), bool) {
	p := h.f.p
	start := time.Now()
	caller := h.c.caller
	p.edges.begin(caller)
	pl := p.planFor(false, path)
	if p.planHook != nil {
		p.planHook(hookReq(), pl)
	}
	delayed := pl.delay > 0
	record := func(outcome string) {
		p.edges.add(caller, outcome, false, delayed)
		p.edges.observe(caller, time.Since(start))
	}
	if !p.waitUnpaused(p.ctx) || !sleepCtx(p.ctx, pl.delay) {
		record(outcomeConnError)
		return pl, record, false
	}
	if delayed && h.callerGone() {
		record(outcomeCallerGone) // it gave up during the injected delay
		return pl, record, false
	}
	return pl, record, true
}

// delivered flushes an answer whose writing returned werr; gone is whether
// the caller had left before it. An answer that reached nobody is recorded
// (caller gone, else a connection error) and false returned: the
// connection must close.
func (h *h1conn) delivered(werr error, gone bool, record func(outcome string)) bool {
	if ferr := h.bw.Flush(); werr == nil {
		werr = ferr
	}
	switch {
	case gone:
		record(outcomeCallerGone)
	case werr != nil:
		record(outcomeConnError)
	default:
		return true
	}
	return false
}
