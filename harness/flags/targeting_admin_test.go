package flags

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fractional override gives the new variant to its share of targeting
// keys, keeps the keys that had it as the share grows, and clearing it
// brings the file's behaviour back.
func TestTargetingOverrideFractional(t *testing.T) {
	srv, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	c := NewAdminClient(base, testToken)
	ctx := context.Background()
	share := func() (float64, map[string]bool) {
		got := map[string]bool{}
		n := 0
		for i := range 2000 {
			key := fmt.Sprintf("user-%d", i)
			r := srv.Flags().Evaluate("paymentFailure", map[string]any{TargetingKey: key})
			if r.Variant == "100%" {
				got[key] = true
				n++
			}
		}
		return float64(n) / 2000, got
	}
	prev := map[string]bool{}
	for _, s := range []float64{0.01, 0.1, 0.5, 1} {
		rule, err := Fractional("100%", s, "off")
		require.NoError(t, err)
		require.NoError(t, c.SetTargeting(ctx, "paymentFailure", rule))
		got, keys := share()
		assert.InDelta(t, s, got, 0.03, "share at %v", s)
		for k := range prev {
			assert.True(t, keys[k], "key %s lost the variant when the share grew to %v", k, s)
		}
		prev = keys
	}
	st, err := c.Targeting(ctx, "paymentFailure")
	require.NoError(t, err)
	assert.True(t, st.Overridden)
	require.NoError(t, c.SetTargeting(ctx, "paymentFailure", nil))
	got, _ := share()
	assert.Zero(t, got, "after clearing, the file's default (off) is back")
	st, err = c.Targeting(ctx, "paymentFailure")
	require.NoError(t, err)
	assert.False(t, st.Overridden)
	assert.Nil(t, st.Targeting)
}

func TestTargetingOverrideRefusals(t *testing.T) {
	_, base := startServer(t, ServerConfig{Data: []byte(testFlags), AdminToken: testToken})
	ctx := context.Background()
	rule, err := Fractional("nope", 0.5, "off")
	require.NoError(t, err)
	var uv *UnknownVariantError
	err = NewAdminClient(base, testToken).SetTargeting(ctx, "paymentFailure", rule)
	assert.True(t, errors.As(err, &uv), "unknown variant: %v", err)
	err = NewAdminClient(base, testToken).SetTargeting(ctx, "nope", rule)
	assert.True(t, errors.Is(err, ErrUnknownFlag), "unknown flag: %v", err)
	ok, _ := Fractional("100%", 0.5, "off")
	err = NewAdminClient(base, "wrong").SetTargeting(ctx, "paymentFailure", ok)
	assert.True(t, errors.Is(err, ErrUnauthorized), "wrong token: %v", err)
	err = NewAdminClient(base, testToken).SetTargeting(ctx, "paymentFailure", []any{1})
	assert.Error(t, err, "a rule that is not an object")
	_, err = Fractional("100%", 1.5, "off")
	assert.Error(t, err)
}
