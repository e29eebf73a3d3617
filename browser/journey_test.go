package browser

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestShopJourneyEndToEnd(t *testing.T) {
	shop := NewTestShop(t)
	tags := testTags(t)
	if err := shared.RunJourney(t.Context(), 1, ShopJourney(shop.URL), tags); err != nil {
		t.Fatal(err)
	}
	orders := shop.Orders()
	if len(orders) != 1 || orders[0].Currency != "CHF" || len(orders[0].Items) != 1 {
		t.Fatalf("orders = %+v, want one CHF order with one item", orders)
	}
	for _, step := range []string{StepHome, StepOpenProduct, StepAddToCart, StepCart, StepChangeCurrency, StepCheckout, StepConfirmation} {
		a := agg(metricsStep, tags.With("step", step, "status", "ok"))
		if a.Count != 1 || a.Max <= 0 {
			t.Errorf("step %s: duration samples %d max %v, want one positive", step, a.Count, a.Max)
		}
	}
	home := tags.With("page", "/")
	for _, name := range []string{metricsLCP, metricsFCP, metricsTTFB, metricsCLS} {
		if a := agg(name, home); a.Count != 1 {
			t.Errorf("%s on /: %d samples, want 1", name, a.Count)
		}
	}
	if lcp, fcp := agg(metricsLCP, home).Max, agg(metricsFCP, home).Max; lcp < fcp || fcp <= 0 {
		t.Errorf("LCP %v FCP %v: want 0 < FCP <= LCP", lcp, fcp)
	}
	if a := agg(metricsLCP, tags.With("page", "/cart")); a.Count == 0 {
		t.Errorf("no LCP for /cart")
	}
	reqs := agg(metricsHTTPDuration, tags)
	if reqs.Count < 7 {
		t.Errorf("browser_http_req_duration: %d samples, want >= 7 (pages, image, posts)", reqs.Count)
	}
	if a := agg(metricsHTTPDuration, tags.With("status", "303", "method", "POST")); a.Count < 1 {
		t.Errorf("redirect hop of set-currency: %d samples, want >= 1", a.Count)
	}
	if a := agg(metricsHTTPDuration, tags.With("resource_type", "fetch", "method", "POST", "step", StepAddToCart)); a.Count != 1 {
		t.Errorf("add-to-cart fetch: %d samples, want 1", a.Count)
	}
	if f := agg(metricsHTTPFailed, tags); f.Count == 0 || f.Rate() != 0 {
		t.Errorf("browser_http_req_failed: %d samples rate %v, want samples and rate 0", f.Count, f.Rate())
	}
}

func TestHomeOnlyAndCartCurrency(t *testing.T) {
	shop := NewTestShop(t)
	tags := testTags(t)
	ctx := context.Background()
	if err := shared.RunJourney(ctx, 2, HomeOnly(shop.URL), tags); err != nil {
		t.Fatal(err)
	}
	if err := shared.RunJourney(ctx, 2, CartCurrencyJourney(shop.URL), tags); err != nil {
		t.Fatal(err)
	}
	if a := agg(metricsStep, tags.With("journey", "cart_currency", "step", StepChangeCurrency)); a.Count != 1 {
		t.Errorf("change_currency samples = %d", a.Count)
	}
}

func TestBrowserStaysOnLoopback(t *testing.T) {
	tags := testTags(t)
	j := Journey{Name: "escape", Steps: []Step{{Name: "away", Action: Goto("http://192.0.2.1/"), Timeout: 10 * time.Second}}}
	err := shared.RunJourney(t.Context(), 10, j, tags)
	var se *StepError
	if !errors.As(err, &se) || se.Cause != CauseNavigation || !strings.Contains(err.Error(), "ERR_PROXY_CONNECTION_FAILED") {
		t.Fatalf("err = %v, want the navigation refused by the traffic guard", err)
	}
}
