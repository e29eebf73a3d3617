package proxy

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
)

// The control API a sidecar proxy serves (ControlHandler) and Remote
// speaks. Every route but GET /healthz needs "Authorization: Bearer TOKEN".
//
//	PUT    /fault/http    {"kind": "http", "params": {...}, "ttl": "30s"}
//	DELETE /fault/http
//	PUT    /fault/grpc    {"kind": "grpc", "params": {...}, "ttl": "30s"}
//	DELETE /fault/grpc
//	POST   /fault/tcp     {"kind": "latency", "params": {...}, "ttl": "30s"}  (faults add up)
//	DELETE /fault/tcp
//	PUT    /pause         DELETE /pause
//	PUT    /block/{caller} DELETE /block/{caller}
//	PUT    /callers       {"10.0.0.5": "frontend", ...}
//	GET    /edges         → []Edge
//	GET    /healthz       → 200 "ok"
//
// A fault travels in its text form (package kind's Params), which the
// sidecar parses and validates with the same table as everyone else.
// Errors answer {"error": "..."} with 400 for a bad request, 401 for a
// missing or wrong token.

// faultRequest is the body of the fault routes.
type faultRequest struct {
	Kind   string            `json:"kind"`
	Params map[string]string `json:"params,omitempty"`
	TTL    string            `json:"ttl"` // a Go duration, e.g. "30s"
}

func newFaultRequest(f kind.Fault, ttl time.Duration) faultRequest {
	return faultRequest{Kind: f.Kind(), Params: f.Params(), TTL: ttl.String()}
}

// ControlHandler serves the control API for p. An empty token refuses
// every authenticated route: a sidecar must never be open.
func ControlHandler(p *Proxy, token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.Handle("PUT /fault/http", faultRoute(func(r *http.Request, f kind.Fault, ttl time.Duration) error {
		h, ok := f.(kind.HTTP)
		if !ok {
			return fmt.Errorf("%s is not an http fault", f.Kind())
		}
		return p.SetHTTPFault(r.Context(), &h, ttl)
	}))
	mux.HandleFunc("DELETE /fault/http", func(w http.ResponseWriter, r *http.Request) {
		answer(w, p.SetHTTPFault(r.Context(), nil, 0), nil)
	})
	mux.Handle("PUT /fault/grpc", faultRoute(func(r *http.Request, f kind.Fault, ttl time.Duration) error {
		g, ok := f.(kind.GRPC)
		if !ok {
			return fmt.Errorf("%s is not a grpc fault", f.Kind())
		}
		return p.SetGRPCFault(r.Context(), &g, ttl)
	}))
	mux.HandleFunc("DELETE /fault/grpc", func(w http.ResponseWriter, r *http.Request) {
		answer(w, p.SetGRPCFault(r.Context(), nil, 0), nil)
	})
	mux.Handle("POST /fault/tcp", faultRoute(func(r *http.Request, f kind.Fault, ttl time.Duration) error {
		t, ok := f.(kind.TCP)
		if !ok {
			return fmt.Errorf("%s is not a tcp fault", f.Kind())
		}
		return p.AddToxic(r.Context(), t, ttl)
	}))
	mux.HandleFunc("DELETE /fault/tcp", func(w http.ResponseWriter, r *http.Request) {
		answer(w, p.RemoveToxics(r.Context()), nil)
	})
	mux.HandleFunc("PUT /pause", func(w http.ResponseWriter, _ *http.Request) { p.SetPaused(true); answer(w, nil, nil) })
	mux.HandleFunc("DELETE /pause", func(w http.ResponseWriter, _ *http.Request) { p.SetPaused(false); answer(w, nil, nil) })
	mux.HandleFunc("PUT /block/{caller}", func(w http.ResponseWriter, r *http.Request) {
		p.Block(r.PathValue("caller"), true)
		answer(w, nil, nil)
	})
	mux.HandleFunc("DELETE /block/{caller}", func(w http.ResponseWriter, r *http.Request) {
		p.Block(r.PathValue("caller"), false)
		answer(w, nil, nil)
	})
	mux.HandleFunc("PUT /callers", func(w http.ResponseWriter, r *http.Request) {
		var byIP map[string]string
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&byIP); err != nil {
			answer(w, fmt.Errorf("decode callers: %w", err), nil)
			return
		}
		p.SetCallers(byIP)
		answer(w, nil, nil)
	})
	mux.HandleFunc("GET /edges", func(w http.ResponseWriter, _ *http.Request) { answer(w, nil, p.Edges()) })
	return &authHandler{token: token, next: mux}
}

func faultRoute(set func(*http.Request, kind.Fault, time.Duration) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req faultRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			answer(w, fmt.Errorf("decode fault: %w", err), nil)
			return
		}
		ttl, err := time.ParseDuration(req.TTL)
		if err != nil {
			answer(w, fmt.Errorf("ttl %q: %w", req.TTL, err), nil)
			return
		}
		f, err := kind.Parse(req.Kind, req.Params)
		if err != nil {
			answer(w, err, nil)
			return
		}
		answer(w, set(r, f, ttl), nil)
	})
}

// answer writes v (or {"ok":true}) as JSON, or err as a 400.
func answer(w http.ResponseWriter, err error, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	if v == nil {
		v = map[string]bool{"ok": true}
	}
	_ = json.NewEncoder(w).Encode(v)
}

type authHandler struct {
	token string
	next  http.Handler
}

func (h *authHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/healthz" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || h.token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.token)) != 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "missing or wrong bearer token"})
			return
		}
	}
	h.next.ServeHTTP(w, r)
}
