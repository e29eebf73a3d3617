package flags

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
)

// ProviderName is the OpenFeature provider name the OFREP provider reports.
const ProviderName = "gameday-ofrep"

// defaultProviderTimeout bounds one evaluation request when the caller's
// context has no deadline, so a hung flag service cannot hang a service.
const defaultProviderTimeout = 2 * time.Second

// maxCacheEntries bounds the provider's cache; it is emptied when full.
const maxCacheEntries = 4096

// Provider is an OpenFeature provider that evaluates flags over OFREP. It
// never panics and never blocks past its timeout: when the flag service is
// down it returns the caller's default with a GENERAL error.
type Provider struct {
	endpoint string
	client   *http.Client
	ttl      time.Duration
	timeout  time.Duration

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	res     ofrepResult
	expires time.Time
}

// ProviderOption configures a Provider.
type ProviderOption func(*Provider)

// WithHTTPClient sets the HTTP client. Default: a client with no timeout of
// its own (the per-request timeout applies).
func WithHTTPClient(c *http.Client) ProviderOption {
	return func(p *Provider) { p.client = c }
}

// WithCacheTTL caches successful evaluations per flag and context for ttl.
// Default 0: no cache, every evaluation asks the service.
func WithCacheTTL(ttl time.Duration) ProviderOption {
	return func(p *Provider) { p.ttl = ttl }
}

// WithTimeout bounds each evaluation request when ctx has no earlier
// deadline. Default 2s.
func WithTimeout(d time.Duration) ProviderOption {
	return func(p *Provider) { p.timeout = d }
}

// NewOFREPProvider returns a provider for the OFREP service at baseURL (for
// example "http://127.0.0.1:8013").
func NewOFREPProvider(baseURL string, opts ...ProviderOption) *Provider {
	p := &Provider{
		endpoint: strings.TrimRight(baseURL, "/") + "/ofrep/v1/evaluate/flags/",
		client:   http.DefaultClient,
		timeout:  defaultProviderTimeout,
		cache:    map[string]cached{},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

var _ openfeature.FeatureProvider = (*Provider)(nil)

// Metadata names the provider.
func (p *Provider) Metadata() openfeature.Metadata { return openfeature.Metadata{Name: ProviderName} }

// Hooks returns no hooks.
func (p *Provider) Hooks() []openfeature.Hook { return nil }

// ofrepResult is a decoded OFREP answer: a value with details, or an error.
type ofrepResult struct {
	hasValue bool
	value    any
	detail   openfeature.ProviderResolutionDetail
}

// BooleanEvaluation evaluates a boolean flag.
func (p *Provider) BooleanEvaluation(ctx context.Context, flag string, def bool, flatCtx openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	r := p.resolve(ctx, flag, flatCtx)
	v, ok := r.value.(bool)
	return openfeature.BoolResolutionDetail{Value: pick(r, ok, v, def), ProviderResolutionDetail: detailFor(r, ok, flag, "boolean")}
}

// StringEvaluation evaluates a string flag.
func (p *Provider) StringEvaluation(ctx context.Context, flag string, def string, flatCtx openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	r := p.resolve(ctx, flag, flatCtx)
	v, ok := r.value.(string)
	return openfeature.StringResolutionDetail{Value: pick(r, ok, v, def), ProviderResolutionDetail: detailFor(r, ok, flag, "string")}
}

// FloatEvaluation evaluates a number flag.
func (p *Provider) FloatEvaluation(ctx context.Context, flag string, def float64, flatCtx openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	r := p.resolve(ctx, flag, flatCtx)
	v, ok := r.value.(float64)
	return openfeature.FloatResolutionDetail{Value: pick(r, ok, v, def), ProviderResolutionDetail: detailFor(r, ok, flag, "number")}
}

// IntEvaluation evaluates a number flag whose value is a whole number.
func (p *Provider) IntEvaluation(ctx context.Context, flag string, def int64, flatCtx openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	r := p.resolve(ctx, flag, flatCtx)
	f, ok := r.value.(float64)
	ok = ok && f == math.Trunc(f) && math.Abs(f) < 1<<53
	return openfeature.IntResolutionDetail{Value: pick(r, ok, int64(f), def), ProviderResolutionDetail: detailFor(r, ok, flag, "integer")}
}

// ObjectEvaluation evaluates a flag of any type (objects decode to
// map[string]any).
func (p *Provider) ObjectEvaluation(ctx context.Context, flag string, def any, flatCtx openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	r := p.resolve(ctx, flag, flatCtx)
	return openfeature.InterfaceResolutionDetail{Value: pick(r, true, r.value, def), ProviderResolutionDetail: detailFor(r, true, flag, "object")}
}

func pick[T any](r ofrepResult, typeOK bool, v, def T) T {
	if !r.hasValue || !typeOK {
		return def
	}
	return v
}

func detailFor(r ofrepResult, typeOK bool, flag, want string) openfeature.ProviderResolutionDetail {
	if r.hasValue && !typeOK {
		return openfeature.ProviderResolutionDetail{
			ResolutionError: openfeature.NewTypeMismatchResolutionError(
				fmt.Sprintf("flag %q is %s, not %s", flag, jsonType(r.value), want)),
			Reason: openfeature.ErrorReason,
		}
	}
	return r.detail
}

// resolve asks the service (or the cache) for flag.
func (p *Provider) resolve(ctx context.Context, flag string, flatCtx openfeature.FlattenedContext) ofrepResult {
	body, err := json.Marshal(map[string]any{"context": flatCtx})
	if err != nil {
		return errorResult(openfeature.NewInvalidContextResolutionError("context is not JSON-encodable: " + err.Error()))
	}
	cacheKey := flag + "\x00" + string(body)
	if p.ttl > 0 {
		if r, ok := p.cached(cacheKey); ok {
			return r
		}
	}
	if _, ok := ctx.Deadline(); !ok && p.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint+url.PathEscape(flag), bytes.NewReader(body))
	if err != nil {
		return errorResult(openfeature.NewGeneralResolutionError("build request: " + err.Error()))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return errorResult(openfeature.NewGeneralResolutionError("flag service unreachable: " + err.Error()))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRequestBody))
	if err != nil {
		return errorResult(openfeature.NewGeneralResolutionError("read flag service response: " + err.Error()))
	}
	r := decodeOFREP(resp.StatusCode, data, flag)
	if p.ttl > 0 && resp.StatusCode == http.StatusOK {
		p.store(cacheKey, r)
	}
	return r
}

func (p *Provider) cached(key string) (ofrepResult, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.cache[key]
	if !ok || time.Now().After(c.expires) {
		return ofrepResult{}, false
	}
	return c.res, true
}

func (p *Provider) store(key string, r ofrepResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.cache) >= maxCacheEntries {
		clear(p.cache)
	}
	p.cache[key] = cached{res: r, expires: time.Now().Add(p.ttl)}
}

func errorResult(e openfeature.ResolutionError) ofrepResult {
	return ofrepResult{detail: openfeature.ProviderResolutionDetail{ResolutionError: e, Reason: openfeature.ErrorReason}}
}
