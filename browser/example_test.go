package browser_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/browser"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// A pool runs journeys; every page's web vitals, requests and errors land in
// the registry, and a failing step names itself.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>shop</title><h1>Astronomy shop</h1><a href="/product/1">telescope</a>`)
	}))
	defer srv.Close()

	reg := metrics.NewRegistry(time.Now())
	pool, err := browser.NewPool(context.Background(), browser.PoolConfig{Registry: reg, MaxContexts: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()

	err = pool.RunJourney(context.Background(), 1, browser.HomeOnly(srv.URL), metrics.Tags{"scenario": "browse"})
	fmt.Println("home:", err)
	home := metrics.Tags{"page": "/", "step": browser.StepHome}
	fmt.Println("LCP samples:", reg.Metric(metrics.BrowserLCP).Aggregate(home).Count)

	broken := browser.Journey{Name: "broken", Steps: []browser.Step{
		browser.DefaultHooks.Home(srv.URL),
		{Name: "buy", Action: chromedp.Click(chromedp.CSS(`#no-such-button`)), Timeout: time.Second},
	}}
	err = pool.RunJourney(context.Background(), 1, broken, nil)
	var se *browser.StepError
	if errors.As(err, &se) {
		fmt.Println("failed step:", se.Step, "cause:", se.Cause)
	}
	fmt.Println("browser_errors:", reg.Metric(metrics.BrowserErrors).Aggregate(metrics.Tags{"cause": "timeout"}).Sum)
	// Output:
	// home: <nil>
	// LCP samples: 1
	// failed step: buy cause: timeout
	// browser_errors: 1
}
