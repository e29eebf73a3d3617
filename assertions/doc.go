// Package assertions judges a finished run (*harness.Run) against SLOs, in
// testify's style: every assertion takes an assert.TestingT (a *testing.T in
// go test, a report.Recorder in the CLI), returns whether it held, and on
// failure says what was measured, against what, in which window of the run,
// and which faults and flags were active in that window.
//
// A failed SLO also marks the handle (harness.MarkSLOFailure), so that
// gates tell "an SLO broke" (FAIL) from "the test could not run" (ERROR,
// any other failure): see report.Main. An assertion that cannot be
// evaluated at all (an unknown metric, a bad threshold) does not mark it.
//
// Windows are found on the run's timeline: Before, During and After take a
// selector of fault or flag windows ("product-catalog", "flag:adFailure",
// "*" for any), Between takes absolute times. Windows have the metric
// store's per-second resolution: a sample counts in [from, to) when the
// second it was recorded in starts in [floor(from), floor(to)).
//
// An SLO (Availability, Latency, or any rate or trend metric) counts good
// and bad events; it is also a Probe, the unit SteadyState checks.
//
// What is here:
//   - Thresholds: k6 threshold expressions per tag filter and per window.
//   - BurnRate / BurnRateBelow / BudgetBelow: multi-window, multi-burn-rate
//     error-budget alerts (Google SRE workbook, "Alerting on SLOs"), scaled
//     to the run (see BurnPolicy.Scale), and the share of budget spent.
//   - GracefulDegradation: while a dependency is broken, a page still answers
//     and shows its fallback, and unrelated journeys keep their SLO.
//   - RecoveredWithin / RecoveredWithinWindow / RecoveryTime: time from a
//     fault's revert until the SLO holds, and keeps holding, over a sliding
//     window.
//   - SteadyState: the same probes hold before the first fault and after the
//     last revert (Chaos Toolkit's steady-state hypothesis).
//   - WithinBaseline: a statistic of a disrupted run against a baseline run.
//   - NoOOM, RestartsAtMost (timeline events), ConsumerLagAtMost (a gauge)
//     and LagAtMost (a func), Amplification / AmplificationBelow (run.Edges).
//   - PercentileBelow and TailHiddenByAverage: percentiles, not averages.
package assertions
