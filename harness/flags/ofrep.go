package flags

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// OFREP wire shapes, as flagd serves them.
type (
	ofrepRequest struct {
		Context json.RawMessage `json:"context"`
	}
	ofrepSuccess struct {
		Key      string         `json:"key"`
		Value    any            `json:"value,omitempty"`
		Reason   Reason         `json:"reason"`
		Variant  string         `json:"variant,omitempty"`
		Metadata map[string]any `json:"metadata"`
	}
	ofrepError struct {
		Key          string    `json:"key,omitempty"`
		ErrorCode    ErrorCode `json:"errorCode"`
		ErrorDetails string    `json:"errorDetails"`
	}
	ofrepBulk struct {
		Flags []any `json:"flags"`
	}
)

// readContext decodes an OFREP request's context. An empty body or a missing
// or null context is an empty context.
func readContext(r *http.Request) (map[string]any, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxRequestBody))
	if err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	if len(body) == 0 {
		return nil, nil
	}
	var req ofrepRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("request is not an OFREP request object: %w", err)
	}
	if len(req.Context) == 0 || string(req.Context) == "null" {
		return nil, nil
	}
	var ctx map[string]any
	if err := json.Unmarshal(req.Context, &ctx); err != nil {
		return nil, errors.New("context must be a JSON object")
	}
	return ctx, nil
}

func (s *Server) handleEvaluate(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	evalCtx, err := readContext(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, ofrepError{Key: key, ErrorCode: ErrorInvalidContext, ErrorDetails: err.Error()})
		return
	}
	res := s.Flags().Evaluate(key, evalCtx)
	if res.ErrorCode != "" {
		writeJSON(w, statusFor(res.ErrorCode), toOFREPError(res))
		return
	}
	writeJSON(w, http.StatusOK, toOFREPSuccess(res))
}

// handleBulk evaluates every enabled flag (flagd skips disabled ones). The
// ETag is a hash of the body, so a client polling with If-None-Match gets
// 304 until a flag or the context changes the answer.
func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	evalCtx, err := readContext(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, ofrepError{ErrorCode: ErrorInvalidContext, ErrorDetails: err.Error()})
		return
	}
	set := s.Flags()
	out := ofrepBulk{Flags: []any{}}
	for _, key := range set.Keys() {
		res := set.Evaluate(key, evalCtx)
		switch {
		case res.Reason == ReasonDisabled:
			continue
		case res.ErrorCode != "":
			out.Flags = append(out.Flags, toOFREPError(res))
		default:
			out.Flags = append(out.Flags, toOFREPSuccess(res))
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"errorDetails": "encode response"})
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSONBytes(w, http.StatusOK, body)
}

func toOFREPSuccess(res Result) ofrepSuccess {
	return ofrepSuccess{Key: res.Key, Value: res.Value, Reason: res.Reason, Variant: res.Variant, Metadata: map[string]any{}}
}

func toOFREPError(res Result) ofrepError {
	return ofrepError{Key: res.Key, ErrorCode: res.ErrorCode, ErrorDetails: res.ErrorDetails}
}

// statusFor maps an evaluation error to the OFREP status: 404 for a missing
// flag, 400 for the rest (as flagd does).
func statusFor(code ErrorCode) int {
	if code == ErrorFlagNotFound {
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}
