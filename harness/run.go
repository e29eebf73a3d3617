package harness

import (
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Run is the record of one load run against a system: its metrics, what
// happened on the timeline, threshold verdicts and the proxies' call counts.
// Assertions and reports read a Run; nothing in it is live.
type Run struct {
	Name        string
	Target      string // "embedded", "docker", ...
	Start, End  time.Time
	Metrics     *metrics.Registry
	Timeline    *timeline.Timeline
	Thresholds  []metrics.ThresholdResult
	Edges       []proxy.Edge // caller→callee counts over the run
	Aborted     bool         // a threshold with abortOnFail stopped the run, or it was cancelled
	ArtifactDir string       // screenshots, logs; "" when none
}

// Duration is the run's length.
func (r *Run) Duration() time.Duration { return r.End.Sub(r.Start) }
