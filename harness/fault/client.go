package fault

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

// DefaultClientTimeout bounds each call of a Client.
const DefaultClientTimeout = 30 * time.Second

// Client talks to a control server (NewControlServer), e.g. the one of a
// running `gameday demo` found through harness/session.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// NewClient returns a client for the control API at baseURL
// ("http://127.0.0.1:PORT") with the bearer token.
func NewClient(baseURL, token string) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token,
		http: netguard.Client(DefaultClientTimeout)}
}

// APIError is a refusal from the control server.
type APIError struct {
	StatusCode int
	Message    string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("control api: %s (%d)", e.Message, e.StatusCode)
}

// Inject starts the fault described by spec and returns its status.
func (c *Client) Inject(ctx context.Context, spec Spec) (Status, error) {
	var st Status
	err := c.do(ctx, http.MethodPost, "/faults", spec, &st)
	return st, err
}

// List returns every active and recent injection.
func (c *Client) List(ctx context.Context) ([]Status, error) {
	var out []Status
	err := c.do(ctx, http.MethodGet, "/faults", nil, &out)
	return out, err
}

// Status returns one injection.
func (c *Client) Status(ctx context.Context, id string) (Status, error) {
	var st Status
	err := c.do(ctx, http.MethodGet, "/faults/"+url.PathEscape(id), nil, &st)
	return st, err
}

// Revert ends one injection now and returns its final status.
func (c *Client) Revert(ctx context.Context, id string) (Status, error) {
	var st Status
	err := c.do(ctx, http.MethodDelete, "/faults/"+url.PathEscape(id), nil, &st)
	return st, err
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("control api %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("control api %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("control api %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("control api %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var ae apiError
		if json.Unmarshal(data, &ae) != nil || ae.Error == "" {
			ae.Error = strings.TrimSpace(string(data))
		}
		return &APIError{StatusCode: resp.StatusCode, Message: ae.Error}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("control api %s %s: decode: %w", method, path, err)
	}
	return nil
}
