package browser

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// NavigationError is a page that loaded with an HTTP error status, or did not
// load: the user sees an error page, so the step fails (cause "navigation").
type NavigationError struct {
	URL    string
	Status int64
}

func (e *NavigationError) Error() string {
	return fmt.Sprintf("page %s: http status %d", e.URL, e.Status)
}

// Is makes errors.Is(err, chromedp.ErrPageLoad) true, so a NavigationError
// classifies like a load error.
func (e *NavigationError) Is(target error) bool { return target == chromedp.ErrPageLoad }

// Goto navigates to url, waits for its load event and fails on an HTTP
// error status.
func Goto(url string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		resp, err := chromedp.NavigateResponse(url)(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		if resp != nil && resp.Status >= 400 {
			return chromedp.Void{}, &NavigationError{URL: resp.URL, Status: resp.Status}
		}
		return chromedp.Void{}, nil
	}
}

// AndWaitLoad runs trigger (a click, a form submit) and waits for the new
// page's load event, then fails on an HTTP error status of that page.
func AndWaitLoad[T any](trigger chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.WaitEvent(page.LoadEventFired, nil, trigger)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return checkDocumentStatus(ctx, t)
	}
}

// ClickAndWait clicks the first element matching the CSS selector and waits
// for the page it leads to.
func ClickAndWait(css string) chromedp.Action[chromedp.Void] {
	return AndWaitLoad(chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// documentStatus reads the HTTP status of the current document (0 when the
// browser does not report it, e.g. for about:blank).
const documentStatus = `(() => { const n = performance.getEntriesByType('navigation')[0];
	return [location.href, n && n.responseStatus ? n.responseStatus : 0]; })()`

func checkDocumentStatus(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	res, err := chromedp.Evaluate[[]any](documentStatus)(ctx, t)
	if err != nil {
		return chromedp.Void{}, fmt.Errorf("read document status: %w", err)
	}
	if len(res) == 2 {
		u, _ := res[0].(string)
		if st, _ := res[1].(float64); st >= 400 {
			return chromedp.Void{}, &NavigationError{URL: u, Status: int64(st)}
		}
	}
	return chromedp.Void{}, nil
}

// errorPoll is how often ClickAndWaitOr looks for the page's error message.
const errorPoll = 100 * time.Millisecond

// ClickAndWaitOr clicks css and waits for the page it leads to, failing as
// soon as an element matching errCSS shows text instead (a page that
// reports a failed fetch without navigating, like the demo's add-to-cart).
func ClickAndWaitOr(css, errCSS string) chromedp.Action[chromedp.Void] {
	probe := `(() => { const e = document.querySelector(` + strconv.Quote(errCSS) + `);
		return e && !e.hidden ? e.textContent.trim() : ""; })()`
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		lctx, cancel := context.WithCancel(ctx)
		defer cancel()
		loaded := make(chan error, 1)
		events := cdp.Events(lctx, t, page.LoadEventFired)
		if _, err := chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		go func() {
			for _, err := range events {
				loaded <- err
				return
			}
			loaded <- ErrNoLoad
		}()
		tick := time.NewTicker(errorPoll)
		defer tick.Stop()
		for {
			select {
			case err := <-loaded:
				if err != nil {
					return chromedp.Void{}, err
				}
				return checkDocumentStatus(ctx, t)
			case <-tick.C:
				// Mid-navigation the old page may not answer: only text counts.
				if msg, err := chromedp.Evaluate[string](probe)(ctx, t); err == nil && msg != "" {
					return chromedp.Void{}, &PageError{Message: msg}
				}
			}
		}
	}
}

// ErrNoLoad is returned when the page's events end before its load event.
var ErrNoLoad = errors.New("page events ended before the load event")

// PageError is an error message the page itself showed (cause "step").
type PageError struct{ Message string }

func (e *PageError) Error() string { return "page shows error: " + e.Message }
