package assertions

import "github.com/gameday-dev/gameday/harness/metrics"

// countAtMost returns how many of a trend aggregate's samples are ≤ limit.
//
// The metric store keeps histograms, not samples, so this searches for the
// highest rank k whose value (Quantile at rank k) is ≤ limit. The answer is
// exact up to the histogram's resolution: samples within ~0.5% of limit may
// land on either side.
func countAtMost(a metrics.Aggregate, limit float64) uint64 {
	switch {
	case a.Count == 0 || a.Min > limit:
		return 0
	case a.Max <= limit:
		return a.Count
	}
	n := a.Count
	// invariant: rank lo is ≤ limit (rank 0 trivially), rank hi is > limit
	lo, hi := uint64(0), n
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if a.Quantile(rankQ(mid, n)) <= limit {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// rankQ is the quantile whose rank (ceil(q·n), the store's rule) is k.
func rankQ(k, n uint64) float64 {
	return (float64(k) - 0.5) / float64(n)
}
