package browser

import (
	"strconv"
	"strings"

	"github.com/gameday-dev/gameday/harness/metrics"
)

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

func itoa(i int) string { return strconv.Itoa(i) }

// firstPanic returns the first "panic: ..." line of a test binary's output.
func firstPanic(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "panic: ") {
			l, _, _ = strings.Cut(l, " [")
			return strings.TrimSpace(l)
		}
	}
	return ""
}
