package flags

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newClient registers p under a domain unique to the test, never the
// global default provider.
func newClient(tb testing.TB, p openfeature.FeatureProvider) *openfeature.Client {
	tb.Helper()
	domain := "flags-test-" + tb.Name()
	require.NoError(tb, openfeature.SetNamedProviderAndWait(domain, p))
	return openfeature.NewClient(domain)
}

func TestProviderRoundTrip(t *testing.T) {
	srv, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	c := newClient(t, NewOFREPProvider(base))
	ctx := context.Background()
	ec := openfeature.NewEvaluationContext("user-1", map[string]any{"email": "cfo@bank.example"})

	rate, err := c.FloatValueDetails(ctx, "paymentFailure", 0.9, ec)
	require.NoError(t, err)
	assert.Equal(t, 0.0, rate.Value)
	assert.Equal(t, "off", rate.Variant)
	assert.Equal(t, openfeature.StaticReason, rate.Reason)

	require.NoError(t, srv.SetDefaultVariant("paymentFailure", "50%"))
	v, err := c.FloatValue(ctx, "paymentFailure", 0.9, ec)
	require.NoError(t, err)
	assert.Equal(t, 0.5, v)

	on, err := c.BooleanValue(ctx, "adFailure", true, ec)
	require.NoError(t, err)
	assert.False(t, on)

	greet, err := c.StringValueDetails(ctx, "greeting", "x", ec)
	require.NoError(t, err)
	assert.Equal(t, "good day", greet.Value)
	assert.Equal(t, openfeature.TargetingMatchReason, greet.Reason)

	theme, err := c.ObjectValue(ctx, "theme", nil, ec)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"bg": "white", "size": 3.0}, theme)

	require.NoError(t, srv.SetDefaultVariant("paymentFailure", "100%"))
	n, err := c.IntValue(ctx, "paymentFailure", 7, ec)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
}

func TestProviderErrors(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags)})
	c := newClient(t, NewOFREPProvider(base))
	ctx := context.Background()
	ec := openfeature.NewEvaluationContext("user-1", map[string]any{"x": "abc"})

	d, err := c.BooleanValueDetails(ctx, "missing", true, ec)
	require.Error(t, err)
	assert.True(t, d.Value, "default returned")
	assert.Equal(t, openfeature.FlagNotFoundCode, d.ErrorCode)

	d, err = c.BooleanValueDetails(ctx, "paymentFailure", true, ec)
	require.Error(t, err)
	assert.True(t, d.Value)
	assert.Equal(t, openfeature.TypeMismatchCode, d.ErrorCode)

	i, err := c.IntValueDetails(ctx, "paymentFailure", 3, ec) // 0 is integral: fine
	require.NoError(t, err)
	assert.Equal(t, int64(0), i.Value)

	f, err := c.FloatValueDetails(ctx, "broken", 2.5, ec)
	require.Error(t, err)
	assert.Equal(t, 2.5, f.Value)
	assert.Equal(t, openfeature.ParseErrorCode, f.ErrorCode)

	dis, err := c.BooleanValueDetails(ctx, "retired", false, ec)
	require.NoError(t, err)
	assert.False(t, dis.Value, "a disabled flag yields the code default")
	assert.Equal(t, openfeature.DisabledReason, dis.Reason)
}

func TestProviderServiceDown(t *testing.T) {
	ln := mustListen(t)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens here now
	c := newClient(t, NewOFREPProvider("http://"+addr))
	ctx := context.Background()
	d, err := c.FloatValueDetails(ctx, "paymentFailure", 0.25, openfeature.EvaluationContext{})
	require.Error(t, err)
	assert.Equal(t, 0.25, d.Value)
	assert.Equal(t, openfeature.GeneralCode, d.ErrorCode)
	assert.Contains(t, d.ErrorMessage, "unreachable")

	// A hung service is cut off by the provider timeout.
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) }) // runs first: frees the handler so Close returns
	slow := newClient(t, NewOFREPProvider(hang.URL, WithTimeout(100*time.Millisecond)))
	start := time.Now()
	b, err := slow.BooleanValue(ctx, "adFailure", true, openfeature.EvaluationContext{})
	require.Error(t, err)
	assert.True(t, b)
	assert.Less(t, time.Since(start), 2*time.Second)

	// A 500 with a non-OFREP body is a GENERAL error, not a panic.
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	t.Cleanup(broken.Close)
	bc := newClient(t, NewOFREPProvider(broken.URL))
	s, err := bc.StringValueDetails(ctx, "x", "dflt", openfeature.EvaluationContext{})
	require.Error(t, err)
	assert.Equal(t, "dflt", s.Value)
	assert.Equal(t, openfeature.GeneralCode, s.ErrorCode)
}

func TestProviderCache(t *testing.T) {
	srv, err := NewServer(ServerConfig{Data: []byte(testFlags)})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	var hits atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	ctx := context.Background()
	ec := openfeature.NewEvaluationContext("u", nil)

	cached := NewOFREPProvider(ts.URL, WithCacheTTL(time.Minute), WithHTTPClient(ts.Client()))
	for range 5 {
		cached.FloatEvaluation(ctx, "paymentFailure", 1, ec.Attributes())
	}
	assert.Equal(t, int64(1), hits.Load())
	// Different context, different cache entry.
	cached.FloatEvaluation(ctx, "paymentFailure", 1, openfeature.FlattenedContext{"targetingKey": "other"})
	assert.Equal(t, int64(2), hits.Load())

	hits.Store(0)
	uncached := NewOFREPProvider(ts.URL)
	for range 3 {
		r := uncached.FloatEvaluation(ctx, "paymentFailure", 1, nil)
		require.NoError(t, r.Error())
		assert.Equal(t, 0.0, r.Value)
	}
	assert.Equal(t, int64(3), hits.Load())
}
