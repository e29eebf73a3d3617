// Package metrics is gameday's metric store and SLO engine: k6-named
// metrics of k6's four types (counter, gauge, rate, trend), tagged
// samples, whole-run aggregates and per-second series, and thresholds in
// k6's grammar.
//
// Memory does not grow with the number of samples: a trend keeps an HDR
// histogram per tag set for the whole run and a small sparse log histogram
// per tag set per second (relative error ≤ 0.5%) for windows and plots.
//
// Thresholds ("http_req_duration{name:cart}": ["p(95)<500"]) are parsed
// and validated against the registry before any traffic, every problem
// reported at once (ParseThresholds, ParseThresholdConfigs,
// ParseThresholdsJSON); ThresholdSet.Evaluate judges them over the whole
// run or any window with one evaluator, and CheckAbort applies abortOnFail
// and delayAbortEval during a run. A threshold whose gauge, rate or trend
// got no samples fails with "no samples" unless it opts out
// (ThresholdConfig.AllowNoSamples): a gate that passes without traffic is
// not a gate. A counter without samples counts 0. Below the set,
// ParseSelector, ParseExpression, Aggregation.Value and Expression.Holds
// judge one expression over any Aggregate (Metric.Aggregate, Metric.Window).
//
// The grammar, the aggregations each type allows and the summary shape
// follow k6's public documentation. No k6 code is used or copied: k6 is
// AGPL-licensed, and gameday is linked into its users' test binaries.
//
// Everything else in the harness (load executors, the browser pool, the
// fault proxy, assertions, reports) writes into or reads from a Registry.
package metrics
