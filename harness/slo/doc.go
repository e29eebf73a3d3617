// Package slo evaluates service-level objectives while a run goes on.
//
// An Objective is a share of good events (availability or latency) that a
// Source counts: gameday's own load metrics (FromMetrics) or the fault
// proxies' per-edge counters (FromEdges), so traffic from any client counts.
// A Monitor samples its checks once per Interval (default 1 s) and judges
// them with the SRE workbook's multi-window, multi-burn-rate alerts, scaled
// to the run's length (Policy), and with k6 threshold expressions over the
// run so far (Thresholds). Every state change — an alert firing, a
// threshold breaking, a check recovering — is recorded on the run's
// timeline and kept in the Monitor's Report.
//
// The burn-rate arithmetic (Policy, Alert, BurnRate, WindowBurn) is the same
// that package assertions uses after a run: a live decision and the
// post-run verdict over the same seconds agree.
//
// Guarded flag rollouts (harness.Env.Rollout) and fault halt conditions
// (harness.Env.InjectGuarded) stop on a Monitor's first breach.
package slo
