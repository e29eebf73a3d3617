package browser

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// vitalsJS is injected into every new document of a pool context.
//
//go:embed vitals.js
var vitalsJS string

// vitalsBinding is the name of the page → harness binding of vitals.js.
const vitalsBinding = "__gamedayVitals"

// snapshotVitals is the expression that reads the current document's vitals,
// waiting at most %d ms for its first paints.
const snapshotVitals = `window.__gdVitals ? window.__gdVitals.snapshot(%d).then(JSON.stringify) : ""`

// pageVitals is one document's web vitals in ms (CLS unitless); nil = not seen.
type pageVitals struct {
	Doc  string   `json:"doc"`
	URL  string   `json:"url"`
	LCP  *float64 `json:"lcp"`
	FCP  *float64 `json:"fcp"`
	CLS  *float64 `json:"cls"`
	TTFB *float64 `json:"ttfb"`
	INP  *float64 `json:"inp"`

	step string // the step during which the document appeared
}

// installVitals registers the binding and the probe on a fresh target.
func installVitals(ctx context.Context, t *chromedp.Target) error {
	if _, err := cdp.Call(ctx, t, runtime.AddBinding, runtime.AddBindingParams{Name: vitalsBinding}); err != nil {
		return err
	}
	_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: vitalsJS})
	return err
}

// readVitals pulls the current document's vitals (flushing the page's
// pending observer entries) into the collector.
func readVitals(ctx context.Context, col *collector, settle time.Duration) error {
	expr := fmt.Sprintf(snapshotVitals, max(settle.Milliseconds(), 0))
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil || raw == "" {
		return err
	}
	col.vitals(raw)
	return nil
}

// parseVitals decodes one report of vitals.js.
func parseVitals(raw string) (pageVitals, bool) {
	var v pageVitals
	if err := json.Unmarshal([]byte(raw), &v); err != nil || v.Doc == "" {
		return v, false
	}
	return v, true
}

// merge keeps the latest value of every vital seen.
func (v *pageVitals) merge(n pageVitals) {
	for _, p := range []struct {
		dst **float64
		src *float64
	}{
		{&v.LCP, n.LCP}, {&v.FCP, n.FCP}, {&v.CLS, n.CLS}, {&v.TTFB, n.TTFB}, {&v.INP, n.INP},
	} {
		if p.src != nil {
			*p.dst = p.src
		}
	}
	if n.URL != "" {
		v.URL = n.URL
	}
}

// record writes the document's vitals, tagged url, page and step.
func (v *pageVitals) record(reg *metrics.Registry, now time.Time, base metrics.Tags) {
	u, p := pageKey(v.URL)
	tags := base.With("url", u, "page", p, "step", v.step)
	for _, m := range []struct {
		name string
		val  *float64
	}{
		{metrics.BrowserLCP, v.LCP}, {metrics.BrowserFCP, v.FCP}, {metrics.BrowserCLS, v.CLS},
		{metrics.BrowserTTFB, v.TTFB}, {metrics.BrowserINP, v.INP},
	} {
		if m.val != nil {
			_ = reg.Add(m.name, now, *m.val, tags) // builtin names: cannot be unknown
		}
	}
}

// pageKey returns a URL without query and fragment, and its path: metric
// tags must not explode with session ids in query strings.
func pageKey(raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, raw
	}
	u.RawQuery, u.Fragment = "", ""
	p := u.Path
	if p == "" {
		p = "/"
	}
	return u.String(), p
}
