package flags

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// FlagState is one flag as the admin API reports it.
type FlagState struct {
	Key         string         `json:"key"`
	State       State          `json:"state"`
	Description string         `json:"description,omitempty"`
	Variants    map[string]any `json:"variants"`
	// DefaultVariant is the variant in force (the override if any).
	DefaultVariant string `json:"defaultVariant"`
	// FileDefaultVariant is the default variant the flag file names.
	FileDefaultVariant string `json:"fileDefaultVariant"`
	// Overridden is true when an admin override is in force.
	Overridden bool `json:"overridden"`
	// Value is what an evaluation with an empty context returns; nil for a
	// disabled flag.
	Value any `json:"value"`
	// Targeting is true when the flag has targeting rules, so callers with
	// context may see another value.
	Targeting bool `json:"targeting"`
}

// adminError is the admin API's JSON error body.
type adminError struct {
	Error         string   `json:"error"`
	Code          string   `json:"code"`
	ValidVariants []string `json:"validVariants,omitempty"`
}

// Admin error codes.
const (
	codeUnauthorized   = "UNAUTHORIZED"
	codeForbidden      = "FORBIDDEN"
	codeFlagNotFound   = "FLAG_NOT_FOUND"
	codeUnknownVariant = "UNKNOWN_VARIANT"
	codeBadRequest     = "BAD_REQUEST"
)

// States lists every flag in force, sorted by key.
func (s *Server) States() []FlagState {
	s.mu.Lock()
	base, cur := s.base, s.Flags()
	overridden := make(map[string]bool, len(s.overrides))
	for k := range s.overrides {
		overridden[k] = true
	}
	s.mu.Unlock()
	out := make([]FlagState, 0, len(cur.flags))
	for _, key := range cur.Keys() {
		f := cur.flags[key]
		st := FlagState{
			Key: key, State: f.State, Description: f.Description, Variants: f.Variants,
			DefaultVariant: f.DefaultVariant, FileDefaultVariant: f.DefaultVariant,
			Overridden: overridden[key], Value: cur.Evaluate(key, nil).Value, Targeting: f.Targeting != nil,
		}
		if bf, ok := base.flags[key]; ok {
			st.FileDefaultVariant = bf.DefaultVariant
		}
		out = append(out, st)
	}
	return out
}

func (s *Server) handleList(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"flags": s.States()})
}

func (s *Server) handleSet(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	key := r.PathValue("key")
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRequestBody))
	var req struct {
		DefaultVariant *string `json:"defaultVariant"`
	}
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil || req.DefaultVariant == nil {
		writeJSON(w, http.StatusBadRequest, adminError{
			Error: `body must be {"defaultVariant": "<variant>"}`, Code: codeBadRequest})
		return
	}
	if writeSetError(w, s.SetDefaultVariant(key, *req.DefaultVariant), http.StatusInternalServerError, "INTERNAL") {
		return
	}
	for _, st := range s.States() {
		if st.Key == key {
			writeJSON(w, http.StatusOK, st)
			return
		}
	}
}

// authorize checks the bearer token: 401 when it is missing, 403 when it is
// wrong or admin writes are disabled.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.AdminToken == "" {
		writeJSON(w, http.StatusForbidden, adminError{
			Error: "admin writes are disabled: the flag server has no admin token", Code: codeForbidden})
		return false
	}
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gameday-flags"`)
		writeJSON(w, http.StatusUnauthorized, adminError{
			Error: "missing bearer token (Authorization: Bearer TOKEN)", Code: codeUnauthorized})
		return false
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) != 1 {
		writeJSON(w, http.StatusForbidden, adminError{Error: "invalid admin token", Code: codeForbidden})
		return false
	}
	return true
}

// writeSetError answers a failed change of flag key: 404 for an unknown
// flag, 400 with the valid variants for an unknown variant, status and
// code for any other error. It reports whether it answered (err != nil).
func writeSetError(w http.ResponseWriter, err error, status int, code string) bool {
	var unknownVariant *UnknownVariantError
	switch {
	case err == nil:
		return false
	case errors.Is(err, ErrUnknownFlag):
		writeJSON(w, http.StatusNotFound, adminError{Error: err.Error(), Code: codeFlagNotFound})
	case errors.As(err, &unknownVariant):
		writeJSON(w, http.StatusBadRequest, adminError{Error: err.Error(), Code: codeUnknownVariant,
			ValidVariants: unknownVariant.Valid})
	default:
		writeJSON(w, status, adminError{Error: err.Error(), Code: code})
	}
	return true
}
