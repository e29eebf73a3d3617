package flags

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(tb testing.TB, url, body string, header ...string) (int, http.Header, map[string]any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(tb, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	var out map[string]any
	if len(data) > 0 {
		require.NoError(tb, json.Unmarshal(data, &out), string(data))
	}
	return resp.StatusCode, resp.Header, out
}

func TestOFREPSingle(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags)})
	u := base + "/ofrep/v1/evaluate/flags/"

	status, hdr, body := post(t, u+"paymentFailure", `{"context": {"targetingKey": "u1"}}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "application/json", hdr.Get("Content-Type"))
	assert.Equal(t, map[string]any{"key": "paymentFailure", "value": 0.0, "reason": "STATIC",
		"variant": "off", "metadata": map[string]any{}}, body)

	// A false value must still be sent (not dropped as empty).
	_, _, body = post(t, u+"adFailure", ``)
	assert.Equal(t, false, body["value"])

	_, _, body = post(t, u+"greeting", `{"context": {"email": "cfo@bank.example"}}`)
	assert.Equal(t, "good day", body["value"])
	assert.Equal(t, "TARGETING_MATCH", body["reason"])
	_, _, body = post(t, u+"greeting", `{"context": {"email": "kid@school.example"}}`)
	assert.Equal(t, "hi", body["value"])
	assert.Equal(t, "DEFAULT", body["reason"])

	_, _, body = post(t, u+"theme", `{}`)
	assert.Equal(t, map[string]any{"bg": "white", "size": 3.0}, body["value"])

	status, _, body = post(t, u+"retired", `{}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "DISABLED", body["reason"])
	assert.NotContains(t, body, "value")
}

func TestOFREPErrors(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags)})
	u := base + "/ofrep/v1/evaluate/flags/"

	status, _, body := post(t, u+"nope", `{"context": {}}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "nope", body["key"])
	assert.Equal(t, "FLAG_NOT_FOUND", body["errorCode"])
	assert.NotEmpty(t, body["errorDetails"])

	status, _, body = post(t, u+"paymentFailure", `{"context": [1, 2]}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "INVALID_CONTEXT", body["errorCode"])

	status, _, body = post(t, u+"paymentFailure", `not json`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "INVALID_CONTEXT", body["errorCode"])

	status, _, body = post(t, u+"broken", `{"context": {"x": "abc"}}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "PARSE_ERROR", body["errorCode"])

	resp, err := http.Get(u + "paymentFailure")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestOFREPBulk(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags)})
	u := base + "/ofrep/v1/evaluate/flags"

	status, hdr, body := post(t, u, `{"context": {"targetingKey": "u1", "x": "abc"}}`)
	require.Equal(t, http.StatusOK, status)
	flags := body["flags"].([]any)
	byKey := map[string]map[string]any{}
	for _, f := range flags {
		m := f.(map[string]any)
		byKey[m["key"].(string)] = m
	}
	assert.NotContains(t, byKey, "retired", "disabled flags are left out, as flagd does")
	assert.Len(t, byKey, 5)
	assert.Equal(t, 0.0, byKey["paymentFailure"]["value"])
	assert.Equal(t, "PARSE_ERROR", byKey["broken"]["errorCode"])

	etag := hdr.Get("ETag")
	require.NotEmpty(t, etag)
	status, _, _ = post(t, u, `{"context": {"targetingKey": "u1", "x": "abc"}}`, "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, status)
	status, _, _ = post(t, u, `{"context": {"targetingKey": "u2", "email": "a@bank.example"}}`, "If-None-Match", etag)
	assert.Equal(t, http.StatusOK, status)
}
