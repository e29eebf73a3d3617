package flags

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "s3cret"

func put(tb testing.TB, url, auth, body string) (int, map[string]any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	require.NoError(tb, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(tb, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestAdminTokenRefusal(t *testing.T) {
	srv, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	u := base + "/admin/flags/paymentFailure"
	body := `{"defaultVariant": "50%"}`

	status, out := put(t, u, "", body)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "UNAUTHORIZED", out["code"])
	assert.NotEmpty(t, out["error"])

	status, out = put(t, u, "Bearer wrong", body)
	assert.Equal(t, http.StatusForbidden, status)
	assert.Equal(t, "FORBIDDEN", out["code"])

	status, _ = put(t, u, "Basic "+testToken, body)
	assert.Equal(t, http.StatusUnauthorized, status)

	assert.Equal(t, 0.0, srv.Flags().Evaluate("paymentFailure", nil).Value, "refused writes change nothing")

	status, out = put(t, u, "Bearer "+testToken, body)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "50%", out["defaultVariant"])
	assert.Equal(t, 0.5, out["value"])
	assert.Equal(t, true, out["overridden"])
	assert.Equal(t, 0.5, srv.Flags().Evaluate("paymentFailure", nil).Value)
}

func TestAdminWritesDisabledWithoutToken(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags)})
	status, out := put(t, base+"/admin/flags/adFailure", "Bearer anything", `{"defaultVariant": "on"}`)
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, out["error"], "disabled")
}

func TestAdminClient(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	ctx := context.Background()
	c := NewAdminClient(base, testToken)

	require.NoError(t, c.Set(ctx, "paymentFailure", "100%"))
	states, err := c.List(ctx)
	require.NoError(t, err)
	require.Len(t, states, 6)
	var pf FlagState
	for _, s := range states {
		if s.Key == "paymentFailure" {
			pf = s
		}
	}
	assert.Equal(t, FlagState{Key: "paymentFailure", State: StateEnabled,
		Variants:       map[string]any{"off": 0.0, "10%": 0.1, "50%": 0.5, "100%": 1.0},
		DefaultVariant: "100%", FileDefaultVariant: "off", Overridden: true, Value: 1.0}, pf)

	err = c.Set(ctx, "nope", "on")
	assert.ErrorIs(t, err, ErrUnknownFlag)
	assert.EqualError(t, err, `set flag "nope" to "on": unknown flag "nope"`)

	err = c.Set(ctx, "paymentFailure", "60%")
	assert.ErrorIs(t, err, ErrUnknownVariant)
	assert.EqualError(t, err, `set flag "paymentFailure" to "60%": flag "paymentFailure" has no variant "60%" (valid: off, 10%, 50%, 100%)`)
	var uv *UnknownVariantError
	require.True(t, errors.As(err, &uv))
	assert.Equal(t, []string{"off", "10%", "50%", "100%"}, uv.Valid)

	err = NewAdminClient(base, "bad").Set(ctx, "adFailure", "on")
	assert.ErrorIs(t, err, ErrUnauthorized)
	err = NewAdminClient(base, "").Set(ctx, "adFailure", "on")
	assert.ErrorIs(t, err, ErrUnauthorized)

	// Setting the file's default removes the override.
	require.NoError(t, c.Set(ctx, "paymentFailure", "off"))
	states, err = c.List(ctx)
	require.NoError(t, err)
	for _, s := range states {
		assert.False(t, s.Overridden, s.Key)
	}

	_, err = NewAdminClient("http://127.0.0.1:1", testToken).List(ctx)
	assert.ErrorContains(t, err, "list flags: reach flag server")
}

func TestSetForTestRestores(t *testing.T) {
	srv, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	c := NewAdminClient(base, testToken)
	t.Run("inner", func(t *testing.T) {
		SetForTest(t, c, "adFailure", "on")
		assert.Equal(t, true, srv.Flags().Evaluate("adFailure", nil).Value)
	})
	assert.Equal(t, false, srv.Flags().Evaluate("adFailure", nil).Value, "cleanup restored the flag")
}

func TestWriteList(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteList(&buf, []FlagState{
		{Key: "paymentFailure", State: StateEnabled, DefaultVariant: "50%", Overridden: true, Value: 0.5,
			Variants: map[string]any{"off": 0.0, "50%": 0.5, "100%": 1.0, "10%": 0.1}},
		{Key: "adFailure", State: StateEnabled, DefaultVariant: "off", Value: false,
			Variants: map[string]any{"on": true, "off": false}},
		{Key: "retired", State: StateDisabled, DefaultVariant: "on", Variants: map[string]any{"on": true}},
	}))
	assert.Equal(t, strings.Join([]string{
		"FLAG            STATE     VARIANT  VALUE  VARIANTS",
		"paymentFailure  ENABLED   50%*     0.5    off=0 10%=0.1 50%=0.5 100%=1",
		"adFailure       ENABLED   off      false  off=false on=true",
		"retired         DISABLED  on       -      on=true",
		"",
	}, "\n"), buf.String())
}
