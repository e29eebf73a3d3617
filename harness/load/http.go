package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"time"
)

// Client is a VU's instrumented HTTP client: every request records k6's
// http_* metrics tagged name, method, status, expected_response, scenario,
// group, the VU's tags and the request's own tags. A request's failure is
// data (http_req_failed), and is also returned as the error.
type Client struct {
	vu *VU
}

// Response is a fully read response.
type Response struct {
	Status  int // 0 when no response arrived
	Proto   string
	Header  http.Header
	Body    []byte // nil with DiscardBody
	Request *http.Request
	Timings Timings
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %s response from %s: %w", r.Request.Method, r.Request.URL.Path, err)
	}
	return nil
}

// RequestOption adjusts one request's instrumentation.
type RequestOption func(*requestConfig)

type requestConfig struct {
	name     string
	tags     []string // key, value pairs
	expected []statusRange
	discard  bool
	timeout  time.Duration
}

// DefaultRequestTimeout bounds a request that sets no Timeout: k6's
// default (its params.timeout), so a hung system shows up as failed
// requests, not as VUs stuck until the run ends.
const DefaultRequestTimeout = 60 * time.Second

// Timeout bounds the whole request (connect, send, wait, read the body);
// a request that runs out is a failed request (status 0) and returns an
// error saying "request timeout". Zero or less means DefaultRequestTimeout.
func Timeout(d time.Duration) RequestOption { return func(c *requestConfig) { c.timeout = d } }

func (c *requestConfig) deadline(start time.Time) time.Time {
	if c.timeout <= 0 {
		return start.Add(DefaultRequestTimeout)
	}
	return start.Add(c.timeout)
}

func (c *requestConfig) limit() time.Duration {
	if c.timeout <= 0 {
		return DefaultRequestTimeout
	}
	return c.timeout
}

type statusRange struct{ lo, hi int }

// Name sets the request's name tag (default: the URL path), to group URLs
// with IDs in them: Name("/api/product/{id}").
func Name(name string) RequestOption { return func(c *requestConfig) { c.name = name } }

// Tag adds a tag to the request's samples.
func Tag(key, value string) RequestOption {
	return func(c *requestConfig) { c.tags = append(c.tags, key, value) }
}

// Tags adds every tag of tags to the request's samples (k6's params.tags).
func Tags(tags map[string]string) RequestOption {
	return func(c *requestConfig) {
		keys := make([]string, 0, len(tags))
		for k := range tags {
			keys = append(keys, k)
		}
		sort.Strings(keys) // a stable order for the series cache
		for _, k := range keys {
			c.tags = append(c.tags, k, tags[k])
		}
	}
}

// ExpectedStatuses replaces the statuses that count as success (default
// 200–399) with these codes, plus any ExpectedStatusRange.
func ExpectedStatuses(codes ...int) RequestOption {
	return func(c *requestConfig) {
		for _, code := range codes {
			c.expected = append(c.expected, statusRange{code, code})
		}
	}
}

// ExpectedStatusRange adds lo..hi (inclusive) to the expected statuses.
func ExpectedStatusRange(lo, hi int) RequestOption {
	return func(c *requestConfig) { c.expected = append(c.expected, statusRange{lo, hi}) }
}

// DiscardBody reads and drops the body instead of keeping it in Response.
func DiscardBody() RequestOption { return func(c *requestConfig) { c.discard = true } }

func (c *requestConfig) isExpected(status int) bool {
	if len(c.expected) == 0 {
		return status >= 200 && status <= 399
	}
	for _, r := range c.expected {
		if status >= r.lo && status <= r.hi {
			return true
		}
	}
	return false
}

// Get sends a GET request.
func (c *Client) Get(ctx context.Context, url string, opts ...RequestOption) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", url, err)
	}
	return c.Do(req, opts...)
}

// Post sends body with the given content type.
func (c *Client) Post(ctx context.Context, url, contentType string, body []byte, opts ...RequestOption) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", url, err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.Do(req, opts...)
}

// JSON sends in as a JSON body (none when nil) and, when out is not nil and
// the status is expected, decodes the response into out.
func (c *Client) JSON(ctx context.Context, method, url string, in, out any, opts ...RequestOption) (*Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", method, url, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req, opts...)
	if err != nil || out == nil {
		return res, err
	}
	return res, res.JSON(out)
}

// Do sends any request through the run's guarded, bounded client and
// records its metrics. A refused address, a transport error or an
// unexpected status is recorded as a failed request; the first two are
// also returned as an error (an unexpected status is not an error).
// Redirects of GET and HEAD requests (and 303s) are followed up to 10
// times, each hop recorded as its own request, as k6 does.
func (c *Client) Do(req *http.Request, opts ...RequestOption) (*Response, error) {
	var cfg requestConfig
	for _, o := range opts {
		o(&cfg)
	}
	for hop := 0; ; hop++ {
		res, err := c.do(req, &cfg)
		if err != nil || hop >= maxRedirects {
			return res, err
		}
		next := redirect(req, res)
		if next == nil {
			return res, nil
		}
		req = next
	}
}

const maxRedirects = 10

func redirect(req *http.Request, res *Response) *http.Request {
	switch res.Status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := res.Header.Get("Location")
	if loc == "" {
		return nil
	}
	method := req.Method
	if res.Status == http.StatusSeeOther && method != http.MethodHead {
		method = http.MethodGet
	}
	if method != http.MethodGet && method != http.MethodHead {
		return nil
	}
	u, err := req.URL.Parse(loc)
	if err != nil {
		return nil
	}
	next, err := http.NewRequestWithContext(req.Context(), method, u.String(), nil)
	if err != nil {
		return nil
	}
	for k, v := range req.Header {
		if k != "Content-Type" && k != "Content-Length" {
			next.Header[k] = v
		}
	}
	return next
}

// do sends one request (no redirect following) and records it.
func (c *Client) do(req *http.Request, cfg *requestConfig) (*Response, error) {
	vu := c.vu
	eng := vu.sr.eng
	res := &Response{Request: req}
	start := time.Now()
	if err := eng.guard.check(req.URL.Hostname()); err != nil {
		vu.record(req, cfg, res, start, start, 0, 0)
		return res, err
	}
	ctx := req.Context()
	select {
	case eng.inflight <- struct{}{}:
	case <-ctx.Done():
		return res, fmt.Errorf("%s %s: waiting for an in-flight slot: %w", req.Method, req.URL.Path, ctx.Err())
	}
	tr := getTracer()
	lean, err := false, error(nil)
	if !eng.noLean && leanEligible(req) {
		lean, err = c.leanDo(req, cfg, res, tr)
	}
	if !lean {
		err = c.standardDo(req, cfg, res, tr, start)
	}
	end := time.Now()
	<-eng.inflight
	res.Timings = tr.timings(start, end)
	sent, received := tr.bytes()
	if err == nil || lean {
		tracers.Put(tr) // the transport may still call the trace after an error
	}
	if err != nil {
		res.Status = 0
		if timedOut(err) && ctx.Err() == nil {
			err = fmt.Errorf("request timeout after %s: %w", cfg.limit(), err)
		}
		err = fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	if vu.iterCtx().Err() != nil {
		return res, err // interrupted by the run's stop: not the system's failure
	}
	vu.record(req, cfg, res, start, end, sent, received)
	return res, err
}

// standardDo sends req through net/http's transport (TLS, HTTP/2, other
// hosts than the VU's lean connection).
func (c *Client) standardDo(req *http.Request, cfg *requestConfig, res *Response, tr *tracer, start time.Time) error {
	ctx, cancel := context.WithDeadline(req.Context(), cfg.deadline(start))
	defer cancel() // after the body is read
	resp, err := c.vu.sr.eng.client.Do(req.WithContext(withTrace(ctx, &tr.ct)))
	if err != nil {
		return err
	}
	if err := fill(res, resp, cfg); err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	return nil
}

// fill copies resp into res, reading (or discarding) and closing its body.
func fill(res *Response, resp *http.Response, cfg *requestConfig) error {
	res.Status, res.Proto, res.Header = resp.StatusCode, resp.Proto, resp.Header
	var err error
	if cfg.discard {
		_, err = io.Copy(io.Discard, resp.Body)
	} else {
		res.Body, err = readBody(resp)
	}
	resp.Body.Close()
	return err
}

func readBody(resp *http.Response) ([]byte, error) {
	if resp.ContentLength >= 0 && resp.ContentLength < 64<<20 {
		buf := make([]byte, resp.ContentLength)
		n, err := io.ReadFull(resp.Body, buf)
		if err == nil {
			var one [1]byte
			if m, _ := resp.Body.Read(one[:]); m == 0 {
				return buf[:n], nil
			}
			rest, err := io.ReadAll(resp.Body)
			return append(append(buf, one[0]), rest...), err
		}
		return buf[:n], err
	}
	return io.ReadAll(resp.Body)
}

// timedOut reports whether err is a request's own deadline running out
// (the caller checks that the iteration itself was not stopped).
func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
}
