package proxy

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
)

// ServeHTTP forwards one HTTP request or gRPC call, applying the active
// fault, and counts its outcome for its caller.
func (f *httpForwarder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := f.p
	start := time.Now()
	caller, _ := r.Context().Value(callerKey{}).(string)
	if caller == "" {
		caller = ClientCaller
	}
	grpc := isGRPC(r)
	pl := p.planFor(grpc, r.URL.Path)
	if p.planHook != nil {
		p.planHook(r, pl)
	}
	delayed := pl.delay > 0
	p.edges.begin(caller)
	record := func(outcome string) {
		p.edges.finish(caller, outcome, delayed, time.Since(start))
	}

	if !p.waitUnpaused(r.Context()) || !sleepCtx(r.Context(), pl.delay) {
		record(p.failedOutcome(r, start))
		panic(http.ErrAbortHandler)
	}
	if pl.fail {
		if grpc {
			writeGRPCStatus(w, pl.code, pl.body)
		} else {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(pl.body)))
			w.WriteHeader(pl.code)
			_, _ = w.Write([]byte(pl.body))
		}
		record(outcomeInjectedError)
		return
	}

	st := &reqState{}
	done := false
	defer func() {
		if !done {
			// The reverse proxy aborted (upstream gone, copy failed, caller
			// gone): count it and let net/http drop the connection.
			record(p.failedOutcome(r, start))
		}
	}()
	f.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	done = true
	if p.callerGaveUp(r, start) {
		record(outcomeCallerGone)
		return
	}
	record(st.outcome(grpc))
}

// failedOutcome names a request that ended without an answer: the caller
// gave up (reset its stream or closed its connection), or else the
// upstream failed.
func (p *Proxy) failedOutcome(r *http.Request, start time.Time) string {
	if p.callerGaveUp(r, start) {
		return outcomeCallerGone
	}
	return outcomeConnError
}

// callerGaveUp reports whether the caller of r is gone: it reset its
// stream or closed its connection, or its gRPC deadline has passed. The
// deadline travels upstream in grpc-timeout too, so the callee may give
// up (and reset the call) before the caller's reset comes in: either way
// it is the caller's deadline that ended the call.
func (p *Proxy) callerGaveUp(r *http.Request, start time.Time) bool {
	if p.ctx.Err() != nil {
		return false // the proxy is closing: not the caller's doing
	}
	if r.Context().Err() != nil {
		return true
	}
	d, ok := grpcTimeout(r.Header.Get("Grpc-Timeout"))
	return ok && time.Since(start) >= d
}

// grpcTimeout parses a grpc-timeout header: up to 8 digits and a unit
// (H, M, S, m, u, n).
func grpcTimeout(v string) (time.Duration, bool) {
	if len(v) < 2 || len(v) > 9 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[:len(v)-1], 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	var unit time.Duration
	switch v[len(v)-1] {
	case 'H':
		unit = time.Hour
	case 'M':
		unit = time.Minute
	case 'S':
		unit = time.Second
	case 'm':
		unit = time.Millisecond
	case 'u':
		unit = time.Microsecond
	case 'n':
		unit = time.Nanosecond
	default:
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// outcome names what came back from the upstream.
func (st *reqState) outcome(grpc bool) string {
	if st.err != nil || st.resp == nil {
		return outcomeConnError
	}
	if !grpc {
		return statusOutcome(st.resp.StatusCode)
	}
	s := st.resp.Trailer.Get("Grpc-Status")
	if s == "" {
		s = st.resp.Header.Get("Grpc-Status") // trailers-only response
	}
	if s == "" {
		if st.resp.StatusCode != http.StatusOK {
			return statusOutcome(st.resp.StatusCode)
		}
		return "grpc_none"
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return "grpc_invalid"
	}
	return "grpc_" + codes.Code(n).String()
}
