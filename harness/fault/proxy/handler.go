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
		record(p.failedOutcome(r))
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
			record(p.failedOutcome(r))
		}
	}()
	f.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	done = true
	if r.Context().Err() != nil && p.ctx.Err() == nil {
		record(outcomeCallerGone)
		return
	}
	record(st.outcome(grpc))
}

// failedOutcome names a request that ended without an answer: the caller
// gave up (reset its stream or closed its connection), or else the
// upstream failed.
func (p *Proxy) failedOutcome(r *http.Request) string {
	if r.Context().Err() != nil && p.ctx.Err() == nil {
		return outcomeCallerGone
	}
	return outcomeConnError
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
