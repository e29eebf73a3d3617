package fault

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "s3cret"

func newControl(t *testing.T) (*Client, *Injector, *fakeRunning, *httptest.Server) {
	t.Helper()
	inj, fake := newTestInjector(t, WithForbid("payment"))
	srv := httptest.NewServer(NewControlServer(inj, testToken))
	t.Cleanup(srv.Close)
	return NewClient(srv.URL, testToken), inj, fake, srv
}

func TestControlRefusesWithoutToken(t *testing.T) {
	_, _, fake, srv := newControl(t)
	for _, token := range []string{"", "wrong", testToken + "x"} {
		c := NewClient(srv.URL, token)
		_, err := c.Inject(context.Background(), Spec{Kind: "pause", Target: "cart", Duration: "1m"})
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
		_, err = c.List(context.Background())
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	}
	resp, err := http.Get(srv.URL + "/faults")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, `Bearer realm="gameday"`, resp.Header.Get("WWW-Authenticate"))
	assert.Empty(t, fake.Log())
}

func TestControlRefusesEverythingWithEmptyToken(t *testing.T) {
	inj, _ := newTestInjector(t)
	srv := httptest.NewServer(NewControlServer(inj, ""))
	defer srv.Close()
	_, err := NewClient(srv.URL, "").List(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
}

func TestControlRefusesNonLoopbackCallers(t *testing.T) {
	inj, _ := newTestInjector(t)
	h := NewControlServer(inj, testToken)
	req := httptest.NewRequest(http.MethodGet, "/faults", nil)
	req.RemoteAddr = "192.0.2.7:40000"
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusForbidden, rec.Code)
}

func TestControlLifecycle(t *testing.T) {
	c, inj, fake, _ := newControl(t)
	ctx := context.Background()
	st, err := c.Inject(ctx, Spec{Kind: "http", Target: "product-catalog", Duration: "1m",
		Params: map[string]string{"delay": "900ms", "variation": "150ms"}})
	require.NoError(t, err)
	assert.Equal(t, "f1", st.ID)
	assert.Equal(t, Active, st.State)
	assert.Equal(t, []string{"product-catalog"}, st.Services)
	assert.Equal(t, "http: delay 900ms±150ms, 0% errors", st.Fault)
	assert.WithinDuration(t, time.Now().Add(time.Minute), st.Until, 5*time.Second)
	assert.Equal(t, []string{"http:product-catalog"}, fake.Active())

	list, err := c.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "f1", list[0].ID)

	got, err := c.Status(ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, Active, got.State)

	done, err := c.Revert(ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, Reverted, done.State)
	assert.Equal(t, ReasonReverted, done.Reason)
	assert.Empty(t, fake.Active())

	_, err = c.Revert(ctx, "f9")
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Len(t, inj.Injections(), 1)
}

func TestControlFaultOutlivesTheRequest(t *testing.T) {
	c, _, fake, _ := newControl(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.Inject(ctx, Spec{Kind: "pause", Target: "cart", Duration: "1m"})
	require.NoError(t, err)
	cancel()
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, []string{"paused:cart"}, fake.Active())
}

func TestControlRefusals(t *testing.T) {
	c, _, fake, srv := newControl(t)
	cases := []struct {
		spec Spec
		code int
		msg  string
	}{
		{Spec{Kind: "http", Target: "cart", Duration: "1m"}, 422, "no effect"},
		{Spec{Kind: "pause", Target: "cart"}, 422, "duration is required"},
		{Spec{Kind: "pause", Target: "payment", Duration: "1m"}, 422, "forbidden"},
		{Spec{Kind: "pause", Target: "c*", Duration: "1m"}, 422, "more services than allowed"},
		{Spec{Kind: "pause", Target: "nothing", Duration: "1m"}, 422, "matches no service"},
		{Spec{Kind: "pause", Target: "cart", Duration: "3h"}, 422, "above the 1h0m0s bound"},
		{Spec{Kind: "explode", Target: "cart", Duration: "1m"}, 422, "unknown fault kind"},
	}
	for _, tc := range cases {
		_, err := c.Inject(context.Background(), tc.spec)
		var ae *APIError
		require.ErrorAs(t, err, &ae, "%+v", tc.spec)
		assert.Equal(t, tc.code, ae.StatusCode, "%+v", tc.spec)
		assert.Contains(t, ae.Message, tc.msg)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/faults", strings.NewReader(`{"kind":"pause","bogus":1}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, fake.Log())
}
