package assertions

import (
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/slo"
)

// countAtMost returns how many of a trend aggregate's samples are ≤ limit
// (see slo.CountAtMost, which the live evaluator uses too). The metric
// store keeps histograms, not samples: samples within ~0.5% of limit may
// land on either side.
func countAtMost(a metrics.Aggregate, limit float64) uint64 { return slo.CountAtMost(a, limit) }
