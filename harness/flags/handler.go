package flags

import (
	"encoding/json"
	"net/http"
)

// maxRequestBody bounds OFREP and admin request bodies.
const maxRequestBody = 1 << 20

// Handler returns the HTTP API: OFREP evaluation, admin and /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ofrep/v1/evaluate/flags/{key}", s.handleEvaluate)
	mux.HandleFunc("POST /ofrep/v1/evaluate/flags", s.handleBulk)
	mux.HandleFunc("GET /admin/flags", s.handleList)
	mux.HandleFunc("PUT /admin/flags/{key}", s.handleSet)
	mux.HandleFunc("GET /admin/flags/{key}/targeting", s.handleTargetingGet)
	mux.HandleFunc("PUT /admin/flags/{key}/targeting", s.handleTargetingSet)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"errorDetails":"encode response"}`, http.StatusInternalServerError)
		return
	}
	writeJSONBytes(w, status, b)
}

func writeJSONBytes(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
