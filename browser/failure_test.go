package browser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestStepFailureWritesArtifactsAndNamesStep(t *testing.T) {
	shop := NewTestShop(t)
	shop.CartStatus.Store(http.StatusInternalServerError)
	tags := testTags(t)
	err := shared.RunJourney(t.Context(), 3, ShopJourney(shop.URL), tags)
	var se *StepError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *StepError", err)
	}
	if se.Step != StepAddToCart || se.Cause != CauseNavigation || !strings.Contains(se.URL, "/cart") {
		t.Errorf("step %q cause %q url %q: want add_to_cart, navigation, the cart URL", se.Step, se.Cause, se.URL)
	}
	if !strings.Contains(err.Error(), "step add_to_cart") || !strings.Contains(err.Error(), "500") {
		t.Errorf("error %q does not name the step and the status", err)
	}
	png, perr := os.ReadFile(se.Screenshot)
	if perr != nil || len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("screenshot %q: %v (%d bytes)", se.Screenshot, perr, len(png))
	}
	var rec map[string]any
	b, rerr := os.ReadFile(se.Record)
	if rerr != nil || json.Unmarshal(b, &rec) != nil || rec["step"] != StepAddToCart || rec["cause"] != CauseNavigation {
		t.Errorf("record %q: %v %s", se.Record, rerr, b)
	}
	if a := agg(metricsErrors, tags.With("cause", CauseNavigation, "step", StepAddToCart)); a.Sum != 1 {
		t.Errorf("browser_errors{cause:navigation} = %v, want 1", a.Sum)
	}
	if a := agg(metricsStep, tags.With("step", StepAddToCart, "status", "failed")); a.Count != 1 {
		t.Errorf("failed step duration samples = %d, want 1", a.Count)
	}
	if a := agg(metricsHTTPFailed, tags.With("status", "500")); a.Count != 1 || a.Rate() != 1 {
		t.Errorf("the 500 cart page: %d failed-request samples rate %v", a.Count, a.Rate())
	}
	// Pages visited before the failure still report their vitals.
	if a := agg(metricsLCP, tags.With("page", "/")); a.Count != 1 {
		t.Errorf("home LCP samples = %d, want 1", a.Count)
	}
}

func TestStepTimeoutAndMissingHook(t *testing.T) {
	shop := NewTestShop(t)
	tags := testTags(t)
	j := Journey{Name: "broken", Steps: []Step{
		DefaultHooks.Home(shop.URL),
		{Name: "click_missing", Action: ClickAndWait(`[data-cy="no-such-button"]`), Timeout: 500 * time.Millisecond},
	}}
	start := time.Now()
	err := shared.RunJourney(t.Context(), 4, j, tags)
	var se *StepError
	if !errors.As(err, &se) || se.Step != "click_missing" || se.Cause != CauseTimeout {
		t.Fatalf("err = %v, want a timeout in click_missing", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("journey took %s: the step timeout did not apply", d)
	}
	if a := agg(metricsErrors, tags.With("cause", CauseTimeout)); a.Sum != 1 {
		t.Errorf("browser_errors{cause:timeout} = %v, want 1", a.Sum)
	}
}

func TestPanicInStepIsAFailedJourneyAndContextIsReplaced(t *testing.T) {
	shop := NewTestShop(t)
	tags := testTags(t)
	before := shared.Stats().ContextsOpened
	j := Journey{Name: "panicky", Steps: []Step{
		DefaultHooks.Home(shop.URL),
		{Name: "explode", Action: chromedp.Func(func(context.Context, *chromedp.Target) error { panic("boom") })},
	}}
	err := shared.RunJourney(t.Context(), 5, j, tags)
	var se *StepError
	if !errors.As(err, &se) || se.Cause != CausePanic || !strings.Contains(err.Error(), "boom") || len(se.Stack) == 0 {
		t.Fatalf("err = %v, want a panic StepError with its stack", err)
	}
	if err := shared.RunJourney(t.Context(), 5, HomeOnly(shop.URL), tags); err != nil {
		t.Fatalf("next journey of the VU: %v", err)
	}
	if got := shared.Stats().ContextsOpened - before; got != 2 {
		t.Errorf("contexts opened = %d, want 2 (the panicked one is not reused)", got)
	}
	if a := agg(metricsErrors, tags.With("cause", CausePanic)); a.Sum != 1 {
		t.Errorf("browser_errors{cause:panic} = %v", a.Sum)
	}
}

func TestConsoleErrorsPageErrorsAndFailedResources(t *testing.T) {
	shop := NewTestShop(t)
	shop.HomeScript.Store(`console.error("cart widget failed"); console.log("fine");
		fetch("/missing.json"); setTimeout(() => { throw new Error("uncaught in widget"); }, 0);`)
	tags := testTags(t)
	j := Journey{Name: "errors", Steps: []Step{DefaultHooks.Home(shop.URL),
		{Name: "linger", Action: chromedp.Sleep(200 * time.Millisecond)}}}
	if err := shared.RunJourney(t.Context(), 6, j, tags); err != nil {
		t.Fatal(err)
	}
	if a := agg(metricsConsole, tags.With("page", "/")); a.Sum != 1 {
		t.Errorf("browser_console_errors = %v, want 1 (console.error; network errors are not counted twice)", a.Sum)
	}
	if a := agg(metricsPageErrors, tags.With("page", "/")); a.Sum != 1 {
		t.Errorf("browser_page_errors = %v, want 1", a.Sum)
	}
	if a := agg(metricsHTTPFailed, tags.With("status", "404", "resource_type", "fetch")); a.Count != 1 || a.Rate() != 1 {
		t.Errorf("failed fetch: %d samples rate %v", a.Count, a.Rate())
	}
}

func TestJourneyStopsWhenVUContextEnds(t *testing.T) {
	shop := NewTestShop(t)
	shop.ImageDelay.Store(int64(10 * time.Second))
	tags := testTags(t)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-shop.ImageArrived; cancel() }()
	start := time.Now()
	err := shared.RunJourney(ctx, 7, HomeOnly(shop.URL), tags)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s after cancel", d)
	}
	if a := agg(metricsErrors, tags); a.Sum != 0 {
		t.Errorf("an interrupted journey counted %v browser errors", a.Sum)
	}
}

func TestAddToCartErrorShownByThePageFailsFast(t *testing.T) {
	shop := NewTestShop(t)
	shop.AddStatus.Store(http.StatusServiceUnavailable)
	tags := testTags(t)
	start := time.Now()
	err := shared.RunJourney(t.Context(), 9, ShopJourney(shop.URL), tags)
	var se *StepError
	var pe *PageError
	if !errors.As(err, &se) || se.Step != StepAddToCart || !errors.As(err, &pe) || !strings.Contains(pe.Message, "503") {
		t.Fatalf("err = %v, want add_to_cart failing with the page's message", err)
	}
	if d := time.Since(start); d > DefaultStepTimeout/2 {
		t.Errorf("took %s: waited for a navigation that never came", d)
	}
	if a := agg(metricsHTTPFailed, tags.With("status", "503", "resource_type", "fetch")); a.Rate() != 1 {
		t.Errorf("failed fetch not recorded: %+v", a)
	}
}
