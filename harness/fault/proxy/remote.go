package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// Remote drives a sidecar proxy through its control API. It implements
// target.FaultProxy and target.TCPFaultProxy. Safe for concurrent use.
type Remote struct {
	base   string
	token  string
	client *http.Client
}

// NewRemote returns a client for the control API at baseURL (e.g.
// "http://127.0.0.1:32781").
func NewRemote(baseURL, token string) *Remote {
	return &Remote{base: strings.TrimRight(baseURL, "/"), token: token,
		client: netguard.Client(10 * time.Second)}
}

// SetHTTPFault installs f on the sidecar (nil clears) for at most ttl.
func (r *Remote) SetHTTPFault(ctx context.Context, f *HTTPFault, ttl time.Duration) error {
	if f == nil {
		return r.do(ctx, http.MethodDelete, "/fault/http", nil, nil)
	}
	return r.do(ctx, http.MethodPut, "/fault/http", newFaultRequest(*f, ttl), nil)
}

// SetGRPCFault installs f on the sidecar (nil clears) for at most ttl.
func (r *Remote) SetGRPCFault(ctx context.Context, f *GRPCFault, ttl time.Duration) error {
	if f == nil {
		return r.do(ctx, http.MethodDelete, "/fault/grpc", nil, nil)
	}
	return r.do(ctx, http.MethodPut, "/fault/grpc", newFaultRequest(*f, ttl), nil)
}

// AddToxic adds a TCP fault on the sidecar for at most ttl.
func (r *Remote) AddToxic(ctx context.Context, f TCPFault, ttl time.Duration) error {
	return r.do(ctx, http.MethodPost, "/fault/tcp", newFaultRequest(f, ttl), nil)
}

// RemoveToxics clears every TCP fault on the sidecar.
func (r *Remote) RemoveToxics(ctx context.Context) error {
	return r.do(ctx, http.MethodDelete, "/fault/tcp", nil, nil)
}

// SetPaused pauses or unpauses the sidecar's traffic.
func (r *Remote) SetPaused(ctx context.Context, paused bool) error {
	method := http.MethodDelete
	if paused {
		method = http.MethodPut
	}
	return r.do(ctx, method, "/pause", nil, nil)
}

// Block partitions caller from the service behind the sidecar, or heals it.
func (r *Remote) Block(ctx context.Context, caller string, on bool) error {
	method := http.MethodDelete
	if on {
		method = http.MethodPut
	}
	return r.do(ctx, method, "/block/"+url.PathEscape(caller), nil, nil)
}

// SetCallers names the sidecar's callers by IP.
func (r *Remote) SetCallers(ctx context.Context, byIP map[string]string) error {
	return r.do(ctx, http.MethodPut, "/callers", byIP, nil)
}

// Edges returns the sidecar's caller → callee counts.
func (r *Remote) Edges(ctx context.Context) ([]Edge, error) {
	var out []Edge
	if err := r.do(ctx, http.MethodGet, "/edges", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Close drops the client's idle connections. Safe to call twice.
func (r *Remote) Close() error {
	r.client.CloseIdleConnections()
	return nil
}

func (r *Remote) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&e)
		return fmt.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, e.Error)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	return nil
}
