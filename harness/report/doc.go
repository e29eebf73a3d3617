// Package report writes what a set of scenario runs found, for people and
// for CI: summary.json (k6's handleSummary shape per scenario, plus the
// verdicts), junit.xml (one testcase per scenario, threshold, assertion
// failure and measure) and report.html, a self-contained page with
// per-second plots (latency percentiles, error rate, throughput, VUs,
// browser LCP) with fault and flag windows shaded and labelled, the
// thresholds table and the amplification per dependency.
//
// The page inlines Chart.js 3.9.1 (MIT, vendored from Debian's
// libjs-chart.js in assets/) and gameday's own window-shading plugin, so it
// opens offline.
//
// Recorder is an assert.TestingT that collects assertion failures, so the
// CLI can run the assertions package outside go test and put the messages
// in a Scenario.
package report
