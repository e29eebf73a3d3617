package flags

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
)

// FractionalWeightTotal is the sum of the weights Fractional writes: one
// weight is a hundredth of a percent.
const FractionalWeightTotal = 10000

// Fractional returns flagd targeting that gives variant to share (0–1) of
// the evaluations and rest to the others, bucketed by targetingKey with
// flagd's fractional operator (the same key always lands in the same
// bucket, and a bucket that gets the variant at 10% still has it at 50%).
func Fractional(variant string, share float64, rest string) (map[string]any, error) {
	if !(share >= 0 && share <= 1) {
		return nil, fmt.Errorf("fractional share %v: must be in [0, 1]", share)
	}
	if variant == "" || rest == "" {
		return nil, errors.New("fractional: both variants are required")
	}
	w := int(math.Round(share * FractionalWeightTotal))
	return map[string]any{"fractional": []any{
		[]any{variant, w},
		[]any{rest, FractionalWeightTotal - w},
	}}, nil
}

// Targeting returns flag key's targeting in force and whether an admin
// override set it.
func (c *AdminClient) Targeting(ctx context.Context, key string) (TargetingState, error) {
	var out TargetingState
	if err := c.do(ctx, http.MethodGet, "/admin/flags/"+url.PathEscape(key)+"/targeting", nil, &out); err != nil {
		return out, fmt.Errorf("targeting of flag %q: %w", key, c.mapErr(err, key, ""))
	}
	return out, nil
}

// SetTargeting overrides flag key's targeting with rule; nil clears the
// override (the flag file's targeting is in force again).
func (c *AdminClient) SetTargeting(ctx context.Context, key string, rule any) error {
	body, err := json.Marshal(map[string]any{"targeting": rule})
	if err != nil {
		return fmt.Errorf("set targeting of flag %q: %w", key, err)
	}
	if err := c.do(ctx, http.MethodPut, "/admin/flags/"+url.PathEscape(key)+"/targeting", body, nil); err != nil {
		return fmt.Errorf("set targeting of flag %q: %w", key, c.mapErr(err, key, ""))
	}
	return nil
}

// mapErr turns an admin API answer into the package's errors.
func (c *AdminClient) mapErr(err error, key, variant string) error {
	var apiErr *adminAPIError
	if !errors.As(err, &apiErr) {
		return err
	}
	switch apiErr.body.Code {
	case codeFlagNotFound:
		return &UnknownFlagError{Key: key}
	case codeUnknownVariant:
		return &UnknownVariantError{Key: key, Variant: variant, Valid: apiErr.body.ValidVariants}
	case codeUnauthorized, codeForbidden:
		return fmt.Errorf("%w: %s", ErrUnauthorized, apiErr.body.Error)
	}
	return err
}
