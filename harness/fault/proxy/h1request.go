package proxy

import (
	"net/http"
	"time"
)

// call is one request on its caller's edge, from its arrival to its
// outcome. A value, not a closure: the fast path records every request
// without allocating for it.
type call struct {
	p       *Proxy
	caller  string
	start   time.Time
	delayed bool
}

// record counts the request's final outcome.
func (c *call) record(outcome string) {
	c.p.edges.finish(c.caller, outcome, c.delayed, time.Since(c.start))
}

// open starts a request on the caller's edge: its plan (shown to the plan
// hook, which hookReq builds the request for), the pause and the injected
// delay. It returns the plan and the call to record the request's outcome
// on; false means the request has ended (recorded) and the connection
// must close.
func (h *h1conn) open(path func() string, hookReq func() *http.Request) (plan, call, bool) {
	p := h.f.p
	c := call{p: p, caller: h.c.caller, start: time.Now()}
	p.edges.begin(c.caller)
	var pl plan
	if p.httpFault.Load() != nil {
		pl = p.planFor(false, path()) // the path only matters to a fault
	}
	if p.planHook != nil {
		p.planHook(hookReq(), pl)
	}
	c.delayed = pl.delay > 0
	if !p.waitUnpaused(p.ctx) || !sleepCtx(p.ctx, pl.delay) {
		c.record(outcomeConnError)
		return pl, c, false
	}
	if c.delayed && h.callerGone() {
		c.record(outcomeCallerGone) // it gave up during the injected delay
		return pl, c, false
	}
	return pl, c, true
}

// callerCheckAfter is how long a request of the full path must have taken
// before its answer is held back to check that the caller is still there
// (see callerLeft; the fast path needs no check, see answers). Callers
// give up on a timeout or a cancel, and none waits less than this for an
// HTTP answer; below it the check would cost every request a system call
// and find nothing.
const callerCheckAfter = time.Millisecond

// callerLeft reports whether the caller of c gave up before its answer
// came: it closed its connection while the request was under way. Only
// a request that took callerCheckAfter or more is checked.
func (h *h1conn) callerLeft(c *call) bool {
	return time.Since(c.start) >= callerCheckAfter && h.callerGone()
}

// delivered flushes an answer whose writing returned werr; gone is whether
// the caller had left before it. An answer that reached nobody is recorded
// (caller gone, else a connection error) and false returned: the
// connection must close.
func (h *h1conn) delivered(werr error, gone bool, c *call) bool {
	if ferr := h.bw.Flush(); werr == nil {
		werr = ferr
	}
	switch {
	case gone:
		c.record(outcomeCallerGone)
	case werr != nil:
		c.record(outcomeConnError)
	default:
		return true
	}
	return false
}
