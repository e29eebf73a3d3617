package harness

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/netguard"
)

// EdgesPath is where EdgesHandler serves the proxies' counts.
const EdgesPath = "/edges"

// EdgesHandler serves GET /edges: the fault proxies' cumulative
// caller→callee counts of a running Env, as JSON, so a guard outside the
// process (`gameday rollout` against `gameday demo`) can watch the traffic
// of any client. Like the fault control API it answers loopback callers
// with the bearer token only.
func EdgesHandler(e *Env, token string) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			http.Error(w, "loopback callers only", http.StatusForbidden)
			return
		}
		if token == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		edges, err := e.readEdges(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"edges": edges})
	})
}

// FetchEdges reads the counts EdgesHandler serves at base (the control
// API's URL) with the bearer token.
func FetchEdges(ctx context.Context, client *http.Client, base, token string) ([]proxy.Edge, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+EdgesPath, nil)
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if client == nil {
		client = netguard.Client(10 * time.Second) // the control API is on loopback
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("edges: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("edges: %s answered %d: %s", base, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	var out struct {
		Edges []proxy.Edge `json:"edges"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("edges: decode: %w", err)
	}
	return out.Edges, nil
}
