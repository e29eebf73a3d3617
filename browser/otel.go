package browser

import (
	"context"
	"strconv"

	"github.com/chromedp/chromedp"
)

// StepOpenProductByName is the step that clicks a product by its name.
const StepOpenProductByName = "open_product_by_name"

// clickMark is the attribute OpenProductByName marks its target with.
const clickMark = "data-gameday-click"

// OpenProductByName clicks the first <p> on the page whose text contains
// name (case-insensitive, as Playwright's p:has-text does) and waits for
// the page it leads to.
func (h Hooks) OpenProductByName(name string) Step {
	mark := `(() => {
		const want = ` + strconv.Quote(name) + `.toLowerCase();
		document.querySelectorAll('[` + clickMark + `]').forEach(e => e.removeAttribute('` + clickMark + `'));
		const p = Array.from(document.querySelectorAll('p')).find(e => e.textContent.toLowerCase().includes(want));
		if (!p) throw new Error('no <p> has text ' + ` + strconv.Quote(name) + `);
		p.setAttribute('` + clickMark + `', '');
	})()`
	return Step{Name: StepOpenProductByName, Action: func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Evaluate[chromedp.Void](mark)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return ClickAndWait(`p[`+clickMark+`]`)(ctx, t)
	}}
}

// AddNamedProduct is the OpenTelemetry demo load generator's second browser
// task: home page, click the product called name, add it to the cart.
func (h Hooks) AddNamedProduct(baseURL, name string) Journey {
	return Journey{Name: "add_product_to_cart", Steps: []Step{h.Home(baseURL), h.OpenProductByName(name), h.AddToCart()}}
}

// OTelBrowserTasks are the OpenTelemetry demo load generator's browser
// tasks on the demo's hooks: open the cart and change the currency to CHF;
// add "Roof Binoculars" to the cart from the home page.
func OTelBrowserTasks(baseURL string) []Journey {
	return []Journey{DefaultHooks.CartCurrency(baseURL, "CHF"), DefaultHooks.AddNamedProduct(baseURL, "Roof Binoculars")}
}
