package flags

import (
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upstreamVariants is every flag of the OpenTelemetry demo's flag file
// (testdata/otel-demo.flagd.json) with each variant's value, written out
// from the file by hand, and its file default.
var upstreamVariants = map[string]struct {
	def      string
	variants map[string]any
}{
	"adFailure":                  {"off", map[string]any{"off": false, "on": true}},
	"adHighCpu":                  {"off", map[string]any{"off": false, "on": true}},
	"adManualGc":                 {"off", map[string]any{"off": false, "on": true}},
	"cartFailure":                {"off", map[string]any{"off": 0.0, "10%": 0.1, "25%": 0.25, "50%": 0.5, "75%": 0.75, "90%": 0.9, "100%": 1.0}},
	"emailMemoryLeak":            {"off", map[string]any{"off": 0.0, "1x": 1.0, "10x": 10.0, "100x": 100.0, "1000x": 1000.0, "10000x": 10000.0}},
	"failedReadinessProbe":       {"off", map[string]any{"off": false, "on": true}},
	"imageSlowLoad":              {"off", map[string]any{"off": 0.0, "5sec": 5000.0, "10sec": 10000.0}},
	"intlShippingSlowdown":       {"off", map[string]any{"off": 0.0, "5sec": 5.0, "10sec": 10.0}},
	"kafkaQueueProblems":         {"off", map[string]any{"off": 0.0, "on": 100.0}},
	"loadGeneratorBrowserVUs":    {"1", map[string]any{"1": 1.0, "2": 2.0, "4": 4.0, "8": 8.0}},
	"loadGeneratorTraffic":       {"on", map[string]any{"off": 0.0, "on": 1.0}},
	"loadGeneratorVUs":           {"5", map[string]any{"5": 5.0, "10": 10.0, "25": 25.0, "50": 50.0}},
	"paymentFailure":             {"off", map[string]any{"off": 0.0, "10%": 0.1, "25%": 0.25, "50%": 0.5, "75%": 0.75, "90%": 0.95, "100%": 1.0}},
	"paymentUnreachable":         {"off", map[string]any{"off": false, "on": true}},
	"productCatalogFailure":      {"off", map[string]any{"off": false, "on": true}},
	"recommendationCacheFailure": {"off", map[string]any{"off": false, "on": true}},
}

// Every flag of upstream's file, with each of its variants as the default,
// evaluates over OFREP as flagd answers: the variant's value with reason
// STATIC, except productCatalogFailure, whose targeting upstream ships
// answering "off" for every product (TARGETING_MATCH) whatever the default.
func TestUpstreamFlagFileEveryVariant(t *testing.T) {
	data, err := os.ReadFile("testdata/otel-demo.flagd.json")
	require.NoError(t, err)
	srv, base := startServer(t, ServerConfig{Data: data})
	assert.ElementsMatch(t, srv.Flags().Keys(), keysOf(upstreamVariants))
	u := base + "/ofrep/v1/evaluate/flags/"
	rows := 0
	for key, want := range upstreamVariants {
		f, ok := srv.Flags().Flag(key)
		require.True(t, ok, key)
		assert.Equal(t, want.def, f.DefaultVariant, key)
		assert.Equal(t, want.variants, f.Variants, key)
		for variant, value := range want.variants {
			require.NoError(t, srv.SetDefaultVariant(key, variant))
			for _, ctx := range []string{`{}`, `{"context": {"targetingKey": "s-1", "product_id": "OLJCESPC7Z"}}`, `{"context": {"product_id": "66VCHSJNUP"}}`} {
				st, _, body := post(t, u+key, ctx)
				require.Equal(t, http.StatusOK, st, "%s=%s %s", key, variant, ctx)
				wantVariant, wantValue, wantReason := variant, value, "STATIC"
				if key == "productCatalogFailure" {
					wantVariant, wantValue, wantReason = "off", false, "TARGETING_MATCH"
				}
				assert.Equal(t, wantValue, body["value"], "%s=%s %s", key, variant, ctx)
				assert.Equal(t, wantVariant, body["variant"], "%s=%s %s", key, variant, ctx)
				assert.Equal(t, wantReason, body["reason"], "%s=%s %s", key, variant, ctx)
				rows++
			}
		}
		require.NoError(t, srv.SetDefaultVariant(key, want.def))
	}
	t.Logf("%d flags, %d evaluations", len(upstreamVariants), rows)
	st, _, body := post(t, u+"loadGeneratorFloodHomepage", `{}`)
	assert.Equal(t, http.StatusNotFound, st, "upstream's file has no loadGeneratorFloodHomepage")
	assert.Equal(t, "FLAG_NOT_FOUND", body["errorCode"])
}

// Merge gives the later file's definition of a key, as flagd does with
// several sources, and keeps the rest.
func TestMergeLaterSourceWins(t *testing.T) {
	upstream, err := os.ReadFile("testdata/otel-demo.flagd.json")
	require.NoError(t, err)
	extra := []byte(`{"flags": {
	  "productCatalogFailure": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false, "on": true},
	    "targeting": {"if": [{"==": [{"var": "product_id"}, "OLJCESPC7Z"]}, null, "off"]}},
	  "teamFlag": {"state": "ENABLED", "defaultVariant": "a", "variants": {"a": 1, "b": 2}}}}`)
	merged, err := Merge(upstream, extra)
	require.NoError(t, err)
	s, err := Parse(merged, "merged")
	require.NoError(t, err)
	assert.Len(t, s.Keys(), len(upstreamVariants)+1)
	on, err := s.WithDefaultVariant("productCatalogFailure", "on")
	require.NoError(t, err)
	assert.Equal(t, true, on.Evaluate("productCatalogFailure", map[string]any{"product_id": "OLJCESPC7Z"}).Value)
	assert.Equal(t, false, on.Evaluate("productCatalogFailure", map[string]any{"product_id": "66VCHSJNUP"}).Value)
	pf, ok := s.Flag("paymentFailure")
	require.True(t, ok)
	assert.Equal(t, 0.95, pf.Variants["90%"], "untouched flags stay as upstream has them")
	_, err = Merge(upstream, []byte(`{"flags": {"x": {"state": "ENABLED"}}}`))
	assert.ErrorContains(t, err, "flag file 2")
}
