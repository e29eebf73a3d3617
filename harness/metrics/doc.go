// Package metrics is gameday's metric store: k6-named metrics of k6's four
// types (counter, gauge, rate, trend), tagged samples, whole-run aggregates
// and per-second series.
//
// Memory does not grow with the number of samples: a trend keeps an HDR
// histogram per tag set for the whole run and a small sparse log histogram
// per tag set per second (relative error ≤ 0.5%) for windows and plots.
//
// Everything else in the harness (load executors, the browser pool, the
// fault proxy, assertions, reports) writes into or reads from a Registry.
package metrics
