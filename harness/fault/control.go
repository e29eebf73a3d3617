package fault

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/gameday-dev/gameday/harness/target"
)

// maxSpecBytes bounds a POST /faults body.
const maxSpecBytes = 64 << 10

// NewControlServer serves inj over HTTP for `gameday fault`:
//
//	POST   /faults       a Spec → 201 and the injection's Status
//	GET    /faults       the Status of every active and recent injection
//	GET    /faults/{id}  one Status
//	DELETE /faults/{id}  reverts it → its Status
//
// Every request needs "Authorization: Bearer TOKEN" (401 otherwise; an
// empty token refuses everything) and must come from a loopback address
// (403 otherwise): bind it on 127.0.0.1. Faults it starts live until their
// schedule ends, DELETE, or inj.Close.
func NewControlServer(inj *Injector, token string) http.Handler {
	c := &control{inj: inj}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /faults", c.create)
	mux.HandleFunc("GET /faults", c.list)
	mux.HandleFunc("GET /faults/{id}", c.get)
	mux.HandleFunc("DELETE /faults/{id}", c.remove)
	return guard(token, mux)
}

type control struct{ inj *Injector }

// guard admits loopback callers with the bearer token.
func guard(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			writeError(w, http.StatusForbidden, errors.New("the fault control API answers loopback callers only"))
			return
		}
		got := []byte(r.Header.Get("Authorization"))
		if token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gameday"`)
			writeError(w, http.StatusUnauthorized, errors.New("missing or wrong bearer token (see the session file of 'gameday demo')"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (c *control) create(w http.ResponseWriter, r *http.Request) {
	var spec Spec
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSpecBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("decode fault spec: %w", err))
		return
	}
	f, sched, err := spec.Parse()
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	// The fault outlives the request: it ends with its schedule, DELETE
	// or the injector's Close, never with this connection.
	inj, err := c.inj.Inject(context.Background(), spec.Target, f, sched)
	if err != nil {
		writeError(w, injectStatus(err), err)
		return
	}
	w.Header().Set("Location", "/faults/"+inj.ID())
	writeJSON(w, http.StatusCreated, StatusOf(inj))
}

// injectStatus maps Inject's errors to HTTP statuses.
func injectStatus(err error) int {
	switch {
	case errors.Is(err, ErrClosed):
		return http.StatusServiceUnavailable
	case errors.Is(err, ErrRefused), errors.Is(err, target.ErrUnsupported):
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadGateway // the target refused or broke while injecting
}

func (c *control) list(w http.ResponseWriter, _ *http.Request) {
	out := []Status{}
	for _, inj := range c.inj.Injections() {
		out = append(out, StatusOf(inj))
	}
	writeJSON(w, http.StatusOK, out)
}

func (c *control) get(w http.ResponseWriter, r *http.Request) {
	inj, ok := c.inj.Injection(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no fault %q", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, StatusOf(inj))
}

func (c *control) remove(w http.ResponseWriter, r *http.Request) {
	inj, ok := c.inj.Injection(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no fault %q", r.PathValue("id")))
		return
	}
	if err := inj.Revert(r.Context()); err != nil {
		writeError(w, http.StatusBadGateway, err)
		return
	}
	writeJSON(w, http.StatusOK, StatusOf(inj))
}

type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, apiError{Error: err.Error()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to tell it
}
