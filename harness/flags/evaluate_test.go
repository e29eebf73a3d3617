package flags

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustParse(tb testing.TB, doc string) *Set {
	tb.Helper()
	s, err := Parse([]byte(doc), "test.flagd.json")
	require.NoError(tb, err)
	return s
}

func TestMurmur3KnownVectors(t *testing.T) {
	// Reference values of MurmurHash3_x86_32 with seed 0.
	for in, want := range map[string]uint32{
		"":      0,
		"hello": 0x248bfa47,
		"The quick brown fox jumps over the lazy dog": 0x2e4ff723,
	} {
		assert.Equalf(t, want, murmur3Sum32([]byte(in)), "murmur3(%q)", in)
	}
}

const colorFlags = `{
  "flags": {
    "headerColor": {
      "state": "ENABLED",
      "defaultVariant": "red",
      "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00", "yellow": "#FFFF00"},
      "targeting": {"if": [
        {"in": ["@faas.com", {"var": ["email"]}]},
        {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]},
        null
      ]}
    }
  }
}`

// The expected assignments are the ones flagd's own fractional tests assert
// for the same rule and inputs.
func TestFractionalMatchesFlagd(t *testing.T) {
	s := mustParse(t, colorFlags)
	for email, want := range map[string]string{
		"rachel@faas.com": "yellow",
		"monica@faas.com": "blue",
		"joey@faas.com":   "red",
		"ross@faas.com":   "green",
	} {
		r := s.Evaluate("headerColor", map[string]any{"email": email})
		assert.Equal(t, want, r.Variant, email)
		assert.Equal(t, ReasonTargetingMatch, r.Reason, email)
	}
	r := s.Evaluate("headerColor", map[string]any{"email": "someone@example.com"})
	assert.Equal(t, ReasonDefault, r.Reason)
	assert.Equal(t, "red", r.Variant)
	assert.Equal(t, "#FF0000", r.Value)
}

func TestFractionalDefaultsToTargetingKey(t *testing.T) {
	s := mustParse(t, `{"flags": {"headerColor": {"state": "ENABLED", "defaultVariant": "red",
	  "variants": {"red": "r", "blue": "b", "green": "g"},
	  "targeting": {"fractional": [["blue", 50], ["green", 50]]}}}}`)
	r := s.Evaluate("headerColor", map[string]any{TargetingKey: "foo@foo.com"})
	assert.Equal(t, ReasonTargetingMatch, r.Reason)
	// flagd's own test expects blue for this flag key and targeting key.
	assert.Equal(t, "blue", r.Variant)

	noKey := s.Evaluate("headerColor", nil)
	assert.Equal(t, ReasonDefault, noKey.Reason)
	assert.Equal(t, "red", noKey.Variant)
}

func TestFractionalDistribution(t *testing.T) {
	s := mustParse(t, `{"flags": {"f": {"state": "ENABLED", "defaultVariant": "a",
	  "variants": {"a": 1, "b": 2, "c": 3},
	  "targeting": {"fractional": [["a", 10], ["b", 30], ["c", 60]]}}}}`)
	const n = 10_000
	counts := map[string]int{}
	for i := range n {
		key := fmt.Sprintf("user-%d", i)
		r := s.Evaluate("f", map[string]any{TargetingKey: key})
		require.Equal(t, ReasonTargetingMatch, r.Reason)
		counts[r.Variant]++
		// Deterministic: the same key always lands in the same bucket.
		again := s.Evaluate("f", map[string]any{TargetingKey: key})
		require.Equal(t, r.Variant, again.Variant)
	}
	for v, want := range map[string]float64{"a": 0.10, "b": 0.30, "c": 0.60} {
		got := float64(counts[v]) / n
		assert.InDeltaf(t, want, got, 0.02, "variant %s share", v)
	}
}

func TestStringAndSemverOperators(t *testing.T) {
	s := mustParse(t, `{"flags": {
	  "email": {"state": "ENABLED", "defaultVariant": "off", "variants": {"on": true, "off": false},
	    "targeting": {"if": [{"and": [{"starts_with": [{"var": "email"}, "ops"]}, {"ends_with": [{"var": "email"}, "@example.com"]}]}, "on", "off"]}},
	  "version": {"state": "ENABLED", "defaultVariant": "old", "variants": {"new": "n", "old": "o", "same": "s"},
	    "targeting": {"if": [
	      {"sem_ver": [{"var": "version"}, ">=", "2.1.0"]}, "new",
	      {"sem_ver": [{"var": "version"}, "~", "1.4.0"]}, "same",
	      null]}}
	}}`)
	cases := []struct {
		flag    string
		ctx     map[string]any
		variant string
		reason  Reason
	}{
		{"email", map[string]any{"email": "ops-team@example.com"}, "on", ReasonTargetingMatch},
		{"email", map[string]any{"email": "dev@example.com"}, "off", ReasonTargetingMatch},
		{"email", map[string]any{"email": "ops@example.org"}, "off", ReasonTargetingMatch},
		{"email", map[string]any{"email": 42}, "off", ReasonTargetingMatch},
		{"version", map[string]any{"version": "2.1.0"}, "new", ReasonTargetingMatch},
		{"version", map[string]any{"version": "v10.0.1"}, "new", ReasonTargetingMatch},
		{"version", map[string]any{"version": "2.1.0-rc.1"}, "old", ReasonDefault},
		{"version", map[string]any{"version": "1.4.9"}, "same", ReasonTargetingMatch},
		{"version", map[string]any{"version": "1.5.0"}, "old", ReasonDefault},
		{"version", map[string]any{"version": "not-a-version"}, "old", ReasonDefault},
	}
	for _, c := range cases {
		r := s.Evaluate(c.flag, c.ctx)
		assert.Equalf(t, c.variant, r.Variant, "%s %v", c.flag, c.ctx)
		assert.Equalf(t, c.reason, r.Reason, "%s %v", c.flag, c.ctx)
	}
}

func TestSemverOrdering(t *testing.T) {
	ordered := []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1", "v2"}
	for i := 0; i+1 < len(ordered); i++ {
		a, okA := parseSemver(ordered[i])
		b, okB := parseSemver(ordered[i+1])
		require.True(t, okA && okB)
		assert.Equalf(t, -1, a.compare(b), "%s < %s", ordered[i], ordered[i+1])
	}
}

func TestRefAndFlagdProperties(t *testing.T) {
	s := mustParse(t, `{
	  "$evaluators": {
	    "isStaff": {"ends_with": [{"var": "email"}, "@gameday.dev"]},
	    "staffOrBeta": {"or": [{"$ref": "isStaff"}, {"==": [{"var": "beta"}, true]}]}
	  },
	  "flags": {
	    "newCheckout": {"state": "ENABLED", "defaultVariant": "off", "variants": {"on": true, "off": false},
	      "targeting": {"if": [{"$ref": "staffOrBeta"}, "on", null]}},
	    "selfAware": {"state": "ENABLED", "defaultVariant": "other", "variants": {"me": "yes", "other": "no"},
	      "targeting": {"if": [{"==": [{"var": "$flagd.flagKey"}, "selfAware"]}, "me", "other"]}},
	    "clock": {"state": "ENABLED", "defaultVariant": "past", "variants": {"future": 1, "past": 0},
	      "targeting": {"if": [{">": [{"var": "$flagd.timestamp"}, 1700000000]}, "future", "past"]}}
	  }
	}`)
	assert.Equal(t, true, s.Evaluate("newCheckout", map[string]any{"email": "a@gameday.dev"}).Value)
	assert.Equal(t, true, s.Evaluate("newCheckout", map[string]any{"beta": true}).Value)
	off := s.Evaluate("newCheckout", map[string]any{"email": "a@example.com"})
	assert.Equal(t, false, off.Value)
	assert.Equal(t, ReasonDefault, off.Reason)
	assert.Equal(t, "me", s.Evaluate("selfAware", nil).Variant)
	assert.Equal(t, "future", s.Evaluate("clock", nil).Variant)
}

func TestEvaluateReasons(t *testing.T) {
	s := mustParse(t, `{"flags": {
	  "static": {"state": "ENABLED", "defaultVariant": "on", "variants": {"on": true, "off": false}},
	  "disabled": {"state": "DISABLED", "defaultVariant": "on", "variants": {"on": true, "off": false}},
	  "unknownVariant": {"state": "ENABLED", "defaultVariant": "off", "variants": {"on": true, "off": false},
	    "targeting": {"if": [true, "nope", "on"]}},
	  "boolResult": {"state": "ENABLED", "defaultVariant": "false", "variants": {"true": 1, "false": 0},
	    "targeting": {"==": [{"var": "x"}, 1]}},
	  "emptyTargeting": {"state": "ENABLED", "defaultVariant": "off", "variants": {"on": true, "off": false},
	    "targeting": {}}
	}}`)
	r := s.Evaluate("static", nil)
	assert.Equal(t, Result{Key: "static", Value: true, Variant: "on", Reason: ReasonStatic}, r)
	assert.NoError(t, r.Err())

	d := s.Evaluate("disabled", nil)
	assert.Equal(t, ReasonDisabled, d.Reason)
	assert.Nil(t, d.Value)

	u := s.Evaluate("unknownVariant", nil)
	assert.Equal(t, ReasonDefault, u.Reason)
	assert.Equal(t, false, u.Value)

	b := s.Evaluate("boolResult", map[string]any{"x": 1})
	assert.Equal(t, "true", b.Variant)
	assert.Equal(t, ReasonTargetingMatch, b.Reason)

	assert.Equal(t, ReasonStatic, s.Evaluate("emptyTargeting", nil).Reason)

	nf := s.Evaluate("missing", nil)
	assert.Equal(t, ReasonError, nf.Reason)
	assert.Equal(t, ErrorFlagNotFound, nf.ErrorCode)
	assert.ErrorContains(t, nf.Err(), "FLAG_NOT_FOUND")

	bad := s.Evaluate("boolResult", map[string]any{"x": func() {}})
	assert.Equal(t, ErrorInvalidContext, bad.ErrorCode)
}

func TestFractionalSaltedByFlagKey(t *testing.T) {
	// Same rule under another key: flagd's test expects ross to land in red.
	s := mustParse(t, `{"flags": {"footerColor": {"state": "ENABLED", "defaultVariant": "red",
	  "variants": {"red": "r", "blue": "b", "green": "g", "yellow": "y"},
	  "targeting": {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]}}}}`)
	assert.Equal(t, "red", s.Evaluate("footerColor", map[string]any{"email": "ross@faas.com"}).Variant)
}

// The engine must not mutate shared rules: evaluate one set from many
// goroutines (meaningful under -race).
func TestEvaluateConcurrently(t *testing.T) {
	s := mustParse(t, colorFlags)
	otel, err := LoadFile("testdata/otel-demo.flagd.json")
	require.NoError(t, err)
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 200 {
				email := fmt.Sprintf("u%d-%d@faas.com", g, i)
				r := s.Evaluate("headerColor", map[string]any{"email": email})
				if r.Reason != ReasonTargetingMatch {
					t.Errorf("unexpected %+v", r)
					return
				}
				otel.Evaluate("productCatalogFailure", map[string]any{"product_id": email})
			}
		}()
	}
	for range 4 {
		<-done
	}
}
