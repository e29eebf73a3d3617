package metrics

import (
	"math"
	"sort"
)

// sparseHist is a log-bucketed histogram that stores only the buckets in
// use: a second of samples spanning 1–100 ms takes a few hundred bytes, not
// an HDR histogram's tens of kilobytes. Bucket i holds (γ^(i-1), γ^i];
// reading a bucket's geometric middle bounds the relative error by ~0.5%.
type sparseHist map[int32]uint32

const (
	sparseGamma   = 1.01
	sparseZeroMax = 1e-6 // values at or below this share bucket zeroBucket
	zeroBucket    = math.MinInt32
)

var logGamma = math.Log(sparseGamma)

func (h sparseHist) add(v float64) {
	if v <= sparseZeroMax || math.IsNaN(v) {
		h[zeroBucket]++
		return
	}
	h[int32(math.Ceil(math.Log(v)/logGamma))]++
}

func (h sparseHist) quantile(q float64, count uint64) float64 {
	keys := make([]int32, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	// the same rank rule as HDR: the smallest value with at least q of the samples at or below it
	rank := uint64(nearestRank(q, int64(count)))
	var seen uint64
	for _, k := range keys {
		seen += uint64(h[k])
		if seen >= rank {
			if k == zeroBucket {
				return 0
			}
			return math.Exp((float64(k) - 0.5) * logGamma)
		}
	}
	return 0
}
