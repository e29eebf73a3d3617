package flags

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse([]byte(`{
	  "$evaluators": {"loopA": {"$ref": "loopB"}, "loopB": {"$ref": "loopA"}},
	  "flags": {
	    "paymentFailure": {"state": "ENABLED", "defaultVariant": "60%", "variants": {"off": 0, "50%": 0.5}},
	    "noState": {"defaultVariant": "off", "variants": {"off": false}},
	    "badState": {"state": "ON", "defaultVariant": "off", "variants": {"off": false}},
	    "mixed": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false, "on": "yes"}},
	    "noVariants": {"state": "ENABLED", "defaultVariant": "off"},
	    "badRef": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false},
	      "targeting": {"if": [{"$ref": "nosuch"}, "off", null]}},
	    "cycle": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false},
	      "targeting": {"$ref": "loopA"}},
	    "typo": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false},
	      "targeting": {"iff": [true, "off", null]}},
	    "good": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false}}
	  }
	}`), "demo.flagd.json")
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{
		`demo.flagd.json: flag "paymentFailure": defaultVariant "60%" is not one of its variants`,
		`demo.flagd.json: flag "noState": missing "state"`,
		`demo.flagd.json: flag "badState": state "ON" is not ENABLED or DISABLED`,
		`demo.flagd.json: flag "mixed": variants mix types: boolean ("off"), string ("on")`,
		`demo.flagd.json: flag "noVariants": missing "variants"`,
		`demo.flagd.json: flag "badRef": targeting: $ref "nosuch" names no entry in "$evaluators"`,
		`demo.flagd.json: flag "cycle": targeting: $ref cycle: loopA -> loopB -> loopA`,
		`demo.flagd.json: flag "typo": targeting: unknown operator "iff"`,
	} {
		assert.Contains(t, msg, want)
	}
	assert.NotContains(t, msg, `"good"`)
	// errors.Join keeps each problem separately inspectable.
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	assert.Len(t, joined.Unwrap(), 8)
}

func TestParseSyntaxErrorHasPosition(t *testing.T) {
	_, err := Parse([]byte("{\n  \"flags\": {\n    \"a\": {,}\n  }\n}"), "x.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.json: invalid JSON at line 3")
}

func TestParseStructuralErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`[]`:                         "top level is array",
		`{}`:                         `missing "flags" object`,
		`{"flags": []}`:              `"flags" is array, want an object`,
		`{"flags": {"a": 1}}`:        `flag "a": definition is number`,
		`{"flags": {}} {}`:           "unexpected data after the top-level object",
		`{"$schema": 3, "flags":{}}`: `"$schema" is number`,
		`{"flags": {"a": {"state": "ENABLED", "defaultVariant": "x", "variants": {"x": null}}}}`:                `variant "x" is null`,
		`{"flags": {"a": {"state": "ENABLED", "defaultVariant": "x", "variants": {"x": 1}, "targeting": "x"}}}`: "targeting is string",
	} {
		_, err := Parse([]byte(doc), "f.json")
		if assert.Errorf(t, err, "doc %s", doc) {
			assert.Contains(t, err.Error(), want, doc)
		}
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.json")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "load flags: "))
}

func TestOtelDemoFileLoadsAndEvaluates(t *testing.T) {
	s, err := LoadFile("testdata/otel-demo.flagd.json")
	require.NoError(t, err)
	assert.Len(t, s.Keys(), 16)
	for _, key := range s.Keys() {
		f, _ := s.Flag(key)
		r := s.Evaluate(key, map[string]any{"product_id": "OLJCESPC7Z", TargetingKey: "user-1"})
		require.NoError(t, r.Err(), key)
		assert.Equal(t, f.DefaultVariant, r.Variant, key)
		assert.Equal(t, f.Variants[f.DefaultVariant], r.Value, key)
	}
	// The catalog flag's targeting runs (and, upstream, answers "off" either way).
	r := s.Evaluate("productCatalogFailure", map[string]any{"product_id": "OLJCESPC7Z"})
	assert.Equal(t, ReasonTargetingMatch, r.Reason)
	assert.Equal(t, false, r.Value)
	assert.Equal(t, 5.0, s.Evaluate("loadGeneratorVUs", nil).Value)
	assert.Equal(t, 1.0, s.Evaluate("loadGeneratorTraffic", nil).Value)
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRefExpansionIsBounded(t *testing.T) {
	// Each evaluator references the previous one twice: 2^30 nodes if expanded.
	var b strings.Builder
	b.WriteString(`{"$evaluators": {"e0": {"==": [1, 1]}`)
	for i := 1; i <= 30; i++ {
		b.WriteString(`, "e` + itoa(i) + `": {"and": [{"$ref": "e` + itoa(i-1) + `"}, {"$ref": "e` + itoa(i-1) + `"}]}`)
	}
	b.WriteString(`}, "flags": {"bomb": {"state": "ENABLED", "defaultVariant": "off", "variants": {"off": false},
	  "targeting": {"$ref": "e30"}}}}`)
	_, err := Parse([]byte(b.String()), "bomb.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "after $ref expansion")
}

func itoa(i int) string { return strconv.Itoa(i) }
