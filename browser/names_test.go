package browser

import "github.com/gameday-dev/gameday/harness/metrics"

// Short names for the metric names the tests read.
const (
	metricsStep         = metrics.BrowserStepDuration
	metricsLCP          = metrics.BrowserLCP
	metricsFCP          = metrics.BrowserFCP
	metricsCLS          = metrics.BrowserCLS
	metricsTTFB         = metrics.BrowserTTFB
	metricsINP          = metrics.BrowserINP
	metricsHTTPDuration = metrics.BrowserHTTPReqDuration
	metricsHTTPFailed   = metrics.BrowserHTTPReqFailed
	metricsErrors       = metrics.BrowserErrors
	metricsConsole      = metrics.BrowserConsoleErrors
	metricsPageErrors   = metrics.BrowserPageErrors
)
