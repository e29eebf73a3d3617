// Package browser drives headless-Chromium users against a system under
// test: a Pool owns one Chromium process and hands each virtual user its own
// isolated browser context (incognito-style), capped and recycled; a Journey
// is a list of named steps (chromedp actions) such as the demo shop's
// home → product → cart → currency → checkout.
//
// Every page a journey visits records k6-browser metrics into a
// metrics.Registry: web vitals (LCP, FCP, CLS, TTFB, INP) read from an
// injected PerformanceObserver script, one browser_http_req_duration and
// browser_http_req_failed sample per network response, console errors, page
// errors (uncaught exceptions) and step durations.
//
// Failures are surfaced, never swallowed (the anti-pattern of the OpenTelemetry
// demo's load generator, whose `except: pass` hid "Target page, context or
// browser has been closed"): a failing step returns a *StepError naming the
// journey and step, writes a screenshot and a JSON record into the pool's
// ArtifactDir, and counts browser_errors{cause=...}. A browser that dies is
// replaced before the next journey; a context that dies is replaced too.
//
// The browser stays on loopback (gameday's traffic rule): every other host
// goes to a refusing proxy and fails in the page, unless listed in
// PoolConfig.AllowHosts.
//
// Chromium is the machine's (ExecPath, $CHROME_PATH, or the usual paths);
// the pool never downloads a browser. Its user-data-dir is a fresh temporary
// directory, removed with every Chromium process on Close, on cancellation
// of the pool's context, and after a crash.
package browser
