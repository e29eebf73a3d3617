package browser

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// maxMessages bounds the console/page-error texts kept for a failure record.
const maxMessages = 20

// collector turns one browser context's CDP events into metric samples. Its
// onEvent runs on chromedp's read loop, so it only records and never calls
// back into the browser.
type collector struct {
	reg *metrics.Registry

	mu       sync.Mutex
	base     metrics.Tags // journey + caller tags of the journey running
	step     string
	pageURL  string
	requests map[network.RequestID]*request
	pages    map[string]*pageVitals
	order    []string
	flushed  map[string]bool // documents already recorded: late reports are dropped
	messages []string        // recent console errors and exceptions, for failures
	crashed  bool
	navs     int // main-frame navigations so far
}

type request struct {
	start  float64 // seconds, CDP monotonic clock
	url    string
	method string
	typ    string
	status int64
	step   string
}

func newCollector(reg *metrics.Registry) *collector {
	return &collector{reg: reg, requests: map[network.RequestID]*request{}, pages: map[string]*pageVitals{},
		flushed: map[string]bool{}}
}

// begin starts a journey: later samples go to reg and carry tags.
func (c *collector) begin(reg *metrics.Registry, tags metrics.Tags) {
	c.mu.Lock()
	c.reg, c.base, c.step, c.messages = reg, tags, "", nil
	c.mu.Unlock()
}

func (c *collector) setStep(name string) {
	c.mu.Lock()
	c.step = name
	c.mu.Unlock()
}

// url is the main frame's current URL.
func (c *collector) url() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pageURL
}

// navigations counts main-frame navigations (a new document each).
func (c *collector) navigations() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.navs
}

func (c *collector) pageCrashed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.crashed
}

func (c *collector) recentMessages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.messages...)
}

// vitals merges one report of vitals.js (binding push or snapshot).
func (c *collector) vitals(raw string) {
	v, ok := parseVitals(raw)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flushed[v.Doc] { // e.g. the pagehide report of the last journey's page
		return
	}
	p := c.pages[v.Doc]
	if p == nil {
		p = &pageVitals{Doc: v.Doc, step: c.step}
		c.pages[v.Doc] = p
		c.order = append(c.order, v.Doc)
	}
	p.merge(v)
}

// flush records the vitals of every page seen since the last flush.
func (c *collector) flush(now time.Time) {
	c.mu.Lock()
	pages, order, base, reg := c.pages, c.order, c.base, c.reg
	c.pages, c.order = map[string]*pageVitals{}, nil
	for _, d := range order {
		c.flushed[d] = true
	}
	c.mu.Unlock()
	for _, d := range order {
		pages[d].record(reg, now, base)
	}
}

func (c *collector) note(msg string) {
	if len(c.messages) == maxMessages {
		c.messages = c.messages[1:]
	}
	c.messages = append(c.messages, msg)
}

func (c *collector) add(name string, v float64, tags metrics.Tags) {
	_ = c.reg.Add(name, time.Now(), v, tags) // builtin names: cannot be unknown
}

// onEvent is the chromedp.Listen callback.
func (c *collector) onEvent(ev any) {
	if e, ok := ev.(*runtime.EventBindingCalled); ok {
		if e.Name == vitalsBinding {
			c.vitals(e.Payload)
		}
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.RedirectResponse != nil {
			c.finish(e.RequestID, float64(e.Timestamp), e.RedirectResponse.Status, "")
		}
		if strings.HasPrefix(e.Request.URL, "data:") {
			return
		}
		c.requests[e.RequestID] = &request{start: float64(e.Timestamp), url: e.Request.URL,
			method: e.Request.Method, typ: strings.ToLower(string(e.Type)), step: c.step}
	case *network.EventResponseReceived:
		if r := c.requests[e.RequestID]; r != nil {
			r.status = e.Response.Status
		}
	case *network.EventLoadingFinished:
		if r := c.requests[e.RequestID]; r != nil {
			c.finish(e.RequestID, float64(e.Timestamp), r.status, "")
		}
	case *network.EventLoadingFailed:
		if e.Canceled { // navigated away or aborted by the page: not the server's failure
			if r := c.requests[e.RequestID]; r != nil && r.status != 0 {
				c.finish(e.RequestID, float64(e.Timestamp), r.status, "") // answered, body cut short
			}
			delete(c.requests, e.RequestID)
			return
		}
		c.finish(e.RequestID, float64(e.Timestamp), 0, e.ErrorText)
	case *page.EventFrameNavigated:
		if e.Frame != nil && e.Frame.ParentID == "" {
			c.pageURL = e.Frame.URL
			c.navs++
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			c.add(metrics.BrowserConsoleErrors, 1, c.pageTags())
			c.note("console.error: " + argsText(e.Args))
		}
	case *log.EventEntryAdded:
		// Network errors are browser_http_req_failed already.
		if e.Entry != nil && e.Entry.Level == log.EntryLevelError && e.Entry.Source != log.EntrySourceNetwork {
			c.add(metrics.BrowserConsoleErrors, 1, c.pageTags())
			c.note("log error: " + e.Entry.Text)
		}
	case *runtime.EventExceptionThrown:
		c.add(metrics.BrowserPageErrors, 1, c.pageTags())
		if d := e.ExceptionDetails; d != nil {
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			c.note("uncaught: " + text)
		}
	case *inspector.EventTargetCrashed:
		c.crashed = true
		c.note("page crashed")
	}
}

// finish records one request's duration and failure; c.mu is held.
func (c *collector) finish(id network.RequestID, end float64, status int64, errText string) {
	r := c.requests[id]
	if r == nil {
		return
	}
	delete(c.requests, id)
	u, _ := pageKey(r.url)
	tags := c.base.With("url", u, "method", r.method, "status", strconv.FormatInt(status, 10),
		"resource_type", r.typ, "step", r.step)
	failed := 0.0
	if status == 0 || status >= 400 {
		failed = 1
		if errText != "" {
			c.note("request failed: " + r.method + " " + u + ": " + errText)
		}
	}
	c.add(metrics.BrowserHTTPReqDuration, (end-r.start)*1000, tags)
	c.add(metrics.BrowserHTTPReqFailed, failed, tags)
}

// pageTags are the tags of console and page errors; c.mu is held.
func (c *collector) pageTags() metrics.Tags {
	_, p := pageKey(c.pageURL)
	return c.base.With("page", p, "step", c.step)
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
