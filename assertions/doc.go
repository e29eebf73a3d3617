// Package assertions judges a finished run (*harness.Run) against SLOs, in
// testify's style: every assertion takes an assert.TestingT (a *testing.T in
// go test, a report.Recorder in the CLI), returns whether it held, and on
// failure says what was measured, against what, in which window of the run,
// and which faults and flags were active in that window.
//
// Windows are found on the run's timeline: Before, During and After take a
// selector of fault or flag windows ("product-catalog", "flag:adFailure",
// "*" for any), Between takes absolute times. Windows have the metric
// store's per-second resolution: a sample counts in [from, to) when the
// second it was recorded in starts in [floor(from), floor(to)).
//
// What is here:
//   - Thresholds: k6 threshold expressions per tag filter and per window.
//   - BurnRate / BurnRateBelow: multi-window, multi-burn-rate error-budget
//     alerts (Google SRE workbook, "Alerting on SLOs"), scaled to the run.
//   - GracefulDegradation: while a dependency is broken, a page still answers
//     and shows its fallback, and unrelated journeys keep their SLO.
//   - RecoveredWithin: time from a fault's revert to the SLO holding again.
//   - SteadyState: the same probes hold before the first fault and after the
//     last revert (Chaos Toolkit's steady-state hypothesis).
//   - WithinBaseline: a statistic of a disrupted run against a baseline run.
//   - NoOOM, RestartsAtMost, ConsumerLagAtMost, AmplificationBelow.
//   - PercentileBelow and TailHiddenByAverage: percentiles, not averages.
package assertions
