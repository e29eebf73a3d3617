package flags

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// AdminClient lists and sets flags on a flag server's admin API.
type AdminClient struct {
	base  string
	token string
	// HTTPClient sends the requests. Default: a client that reaches only
	// loopback (the harness's traffic rule), with a 30s timeout.
	HTTPClient *http.Client
}

// adminHTTP is the default client: the flag server a harness drives is one
// it started, on loopback.
var adminHTTP = netguard.Client(30 * time.Second)

// NewAdminClient returns a client for the flag server at baseURL. token is
// the admin bearer token; List works without it.
func NewAdminClient(baseURL, token string) *AdminClient {
	return &AdminClient{base: strings.TrimRight(baseURL, "/"), token: token, HTTPClient: adminHTTP}
}

// List returns every flag, sorted by key.
func (c *AdminClient) List(ctx context.Context) ([]FlagState, error) {
	var out struct {
		Flags []FlagState `json:"flags"`
	}
	if err := c.do(ctx, http.MethodGet, "/admin/flags", nil, &out); err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	return out.Flags, nil
}

// Set makes variant flag key's default. Errors wrap ErrUnknownFlag,
// ErrUnknownVariant (an *UnknownVariantError listing the valid variants) or
// ErrUnauthorized.
func (c *AdminClient) Set(ctx context.Context, key, variant string) error {
	body, _ := json.Marshal(map[string]string{"defaultVariant": variant})
	err := c.do(ctx, http.MethodPut, "/admin/flags/"+url.PathEscape(key), body, nil)
	if err == nil {
		return nil
	}
	var apiErr *adminAPIError
	if errors.As(err, &apiErr) {
		switch apiErr.body.Code {
		case codeFlagNotFound:
			err = &UnknownFlagError{Key: key}
		case codeUnknownVariant:
			err = &UnknownVariantError{Key: key, Variant: variant, Valid: apiErr.body.ValidVariants}
		case codeUnauthorized, codeForbidden:
			err = fmt.Errorf("%w: %s", ErrUnauthorized, apiErr.body.Error)
		}
	}
	return fmt.Errorf("set flag %q to %q: %w", key, variant, err)
}

// adminAPIError is a non-2xx admin API answer.
type adminAPIError struct {
	status int
	body   adminError
}

func (e *adminAPIError) Error() string {
	if e.body.Error != "" {
		return fmt.Sprintf("flag server answered %d: %s", e.status, e.body.Error)
	}
	return fmt.Sprintf("flag server answered %d", e.status)
}

func (c *AdminClient) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	client := c.HTTPClient
	if client == nil {
		client = adminHTTP
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("reach flag server: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("read flag server answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		e := &adminAPIError{status: resp.StatusCode}
		_ = json.Unmarshal(data, &e.body)
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode flag server answer: %w", err)
	}
	return nil
}
