// Package load is gameday's load engine: k6's executors (constant-vus,
// ramping-vus, shared-iterations, per-vu-iterations, constant-arrival-rate,
// ramping-arrival-rate) driving Go-native virtual users.
//
// A VU runs an Exec, a plain Go function, once per iteration. Its HTTP
// client (vu.HTTP) records k6's http_* metrics with k6's tags into a
// metrics.Registry; vu.Check and vu.Group record checks and groups.
// Arrival-rate executors are an open model: an iteration's clock starts at
// its scheduled time (vu.ScheduledAt), so a stalled system shows up in the
// latencies instead of silently slowing the load (no coordinated omission).
//
// Thresholds use k6's grammar with gameday's own parser and evaluator (see
// metrics.ParseThresholds); they are validated before any traffic,
// abortOnFail stops a run gracefully, and a gauge, rate or trend threshold
// whose metric got no samples fails ("no samples") unless it opts out. WriteSummary and SummaryJSON render k6's end-of-test summary.
//
// Plain-HTTP/1.1 requests go out on a connection each VU owns and are read
// on the VU's goroutine (as k6 and wrk do), skipping net/http Transport's
// per-request goroutine handoffs; TLS, HTTP/2 and a VU's second host use the
// standard Transport (Options.StandardTransport forces it everywhere).
// Redirects are followed by the client, each hop recorded like k6 does.
//
// Every run is bounded in time (Options.MaxDuration) and in concurrent
// requests (Options.MaxInFlight), and only reaches loopback addresses or
// hosts listed in Options.AllowHosts.
package load
