package flags

import (
	"math"
)

type bucket struct {
	variant any
	weight  float64
}

// fractional implements flagd's fractional operator:
//
//	{"fractional": [<bucketing value>?, ["variantA", weight], ["variantB", weight], ...]}
//
// The bucketing value defaults to the targetingKey; the hash input is
// $flagd.flagKey + bucketing value. A missing
// bucketing value or malformed buckets yield nil, so evaluation falls back
// to the default variant.
func fractional(values, data any) any {
	args, ok := values.([]any)
	if !ok || len(args) < 2 {
		return nil
	}
	ctx, _ := data.(map[string]any)
	flagKey := ""
	if props, ok := ctx[flagdPropsKey].(map[string]any); ok {
		flagKey, _ = props[flagdFlagKey].(string)
	}
	var bucketBy string
	switch first := args[0].(type) {
	case string:
		bucketBy = first
		args = args[1:]
	default:
		if first == nil {
			args = args[1:]
		}
		tk, ok := ctx[TargetingKey].(string)
		if !ok {
			return nil
		}
		bucketBy = tk
	}
	// flagd salts every bucketing value with the flag key, so one user lands
	// in independent buckets for different flags.
	hashKey := flagKey + bucketBy
	buckets, total := parseBuckets(args)
	if buckets == nil || total <= 0 {
		return nil
	}
	return pickBucket(murmur3Sum32([]byte(hashKey)), buckets, total)
}

func parseBuckets(args []any) ([]bucket, float64) {
	buckets := make([]bucket, 0, len(args))
	var total float64
	for _, a := range args {
		arr, ok := a.([]any)
		if !ok || len(arr) == 0 {
			return nil, 0
		}
		switch arr[0].(type) {
		case string, bool, float64, nil:
		default:
			return nil, 0
		}
		w := 1.0
		if len(arr) >= 2 {
			f, ok := arr[1].(float64)
			if !ok || f < 0 || f > math.MaxInt32 {
				return nil, 0
			}
			w = math.Trunc(f)
		}
		total += w
		buckets = append(buckets, bucket{variant: arr[0], weight: w})
	}
	return buckets, total
}

// pickBucket maps the hash to [0, 100] as |int32(hash)| / MaxInt32 * 100 and
// walks the cumulative weight percentages (flagd v0.11–v0.12).
func pickBucket(hash uint32, buckets []bucket, total float64) any {
	h := float64(int32(hash))
	pos := math.Abs(h) / math.MaxInt32 * 100
	var end float64
	for _, b := range buckets {
		end += 100 * b.weight / total
		if pos < end {
			return b.variant
		}
	}
	// pos can equal 100 (hash -2^31); it belongs to the last bucket.
	return buckets[len(buckets)-1].variant
}
