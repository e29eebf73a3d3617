package scenarios

import (
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// windowAmplification is caller→callee calls per request into the caller
// within [from, to), from the proxies' per-second proxy_requests counts.
// Extra counters (delays, blocks) are not requests and are left out.
func windowAmplification(run *harness.Run, caller, callee string, from, to time.Time) (float64, bool) {
	m := run.Metrics.Metric(metrics.ProxyRequests)
	if m == nil {
		return 0, false
	}
	count := func(caller, callee string) float64 {
		var n float64
		for _, s := range m.AllSeries() {
			if s.Tags["caller"] != caller || s.Tags["callee"] != callee {
				continue
			}
			if o := s.Tags["outcome"]; o == "injected_delay" || o == "blocked" {
				continue
			}
			n += m.Window(s.Tags, from, to).Sum
		}
		return n
	}
	in := count("client", caller)
	if in == 0 {
		return 0, false
	}
	return count(caller, callee) / in, true
}
