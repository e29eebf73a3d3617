package browser

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// Hooks are the selectors the shop journeys use. DefaultHooks follows the
// OpenTelemetry demo's data-cy hooks and the demo shop's templates.
type Hooks struct {
	ProductLink      string // product links on the home page (href "/product/{id}")
	AddToCartButton  string // the product page's add-to-cart button (leads to the cart)
	AddToCartError   string // where the product page shows a failed add-to-cart
	CartPath         string // the cart page's path
	CurrencySelect   string // the currency <select>; its change submits its form
	PlaceOrder       string // the cart page's place-order button (submits the checkout form)
	ConfirmationMark string // an element only the order confirmation page has
	CheckoutError    string // the checkout result page's error, when the order failed
}

// DefaultHooks are the demo shop's hooks.
var DefaultHooks = Hooks{
	ProductLink:      `a[href^="/product/"]`,
	AddToCartButton:  `[data-cy="product-add-to-cart"]`,
	AddToCartError:   `#add-error`,
	CartPath:         "/cart",
	CurrencySelect:   `select[name="currency_code"]`,
	PlaceOrder:       `[data-cy="checkout-place-order"]`,
	ConfirmationMark: `[data-cy="checkout-confirmation"]`,
	CheckoutError:    `[data-cy="checkout-error"]`,
}

// Step names of the shop journeys (they tag step metrics).
const (
	StepHome           = "home"
	StepOpenProduct    = "open_product"
	StepAddToCart      = "add_to_cart"
	StepCart           = "cart"
	StepChangeCurrency = "change_currency"
	StepCheckout       = "checkout"
	StepConfirmation   = "confirmation"
)

// Home opens the shop's home page.
func (h Hooks) Home(baseURL string) Step {
	return Step{Name: StepHome, Action: Goto(strings.TrimSuffix(baseURL, "/") + "/")}
}

// OpenProduct clicks the link to product id on the current page, or a
// random product link when id is "".
func (h Hooks) OpenProduct(id string) Step {
	return Step{Name: StepOpenProduct, Action: func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		href := "/product/" + id
		if id == "" {
			hrefs, err := chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+
				strconv.Quote(h.ProductLink)+`)).map(a => a.getAttribute('href'))`)(ctx, t)
			if err != nil {
				return chromedp.Void{}, err
			}
			if len(hrefs) == 0 {
				return chromedp.Void{}, fmt.Errorf("no product link matches %s", h.ProductLink)
			}
			href = hrefs[rand.IntN(len(hrefs))]
		}
		return ClickAndWait(`a[href=`+strconv.Quote(href)+`]`)(ctx, t)
	}}
}

// AddToCart clicks add-to-cart on a product page and waits for the cart.
func (h Hooks) AddToCart() Step {
	return Step{Name: StepAddToCart, Action: ClickAndWaitOr(h.AddToCartButton, h.AddToCartError)}
}

// Cart opens the cart page.
func (h Hooks) Cart(baseURL string) Step {
	return Step{Name: StepCart, Action: Goto(strings.TrimSuffix(baseURL, "/") + h.CartPath)}
}

// ChangeCurrency picks code in the currency select, waits for the page the
// change leads to (the select's form is submitted, as the demo does on
// change) and checks the new page shows code: the load generator task of
// seed 000, with its failures reported instead of passed over.
func (h Hooks) ChangeCurrency(code string) Step {
	sel, want := strconv.Quote(h.CurrencySelect), strconv.Quote(code)
	pick := chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector(` + sel + `);
		if (!s) throw new Error('no element matches ' + ` + sel + `);
		s.value = ` + want + `;
		if (s.value !== ` + want + `) throw new Error('currency ' + ` + want + ` + ' is not an option');
		s.dispatchEvent(new Event('change', { bubbles: true }));
		if (s.form && !s.hasAttribute('onchange')) s.form.requestSubmit();
	})()`)
	return Step{Name: StepChangeCurrency, Action: chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(h.CurrencySelect)),
		AndWaitLoad(pick),
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			got, err := chromedp.Value(chromedp.CSS(h.CurrencySelect))(ctx, t)
			if err == nil && got != code {
				err = fmt.Errorf("currency is %q after choosing %q", got, code)
			}
			return chromedp.Void{}, err
		},
	)}
}

// Checkout places the order from the cart page.
func (h Hooks) Checkout() Step {
	return Step{Name: StepCheckout, Action: ClickAndWait(h.PlaceOrder)}
}

// Confirmation checks the order confirmation page is shown.
func (h Hooks) Confirmation() Step {
	return Step{Name: StepConfirmation, Action: func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		n, err := chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(h.ConfirmationMark)+`).length`)(ctx, t)
		if err == nil && n == 0 {
			err = errors.New("no order confirmation (" + h.ConfirmationMark + ") on the page")
		}
		return chromedp.Void{}, err
	}}
}

// Shop is the demo shop user: home → product → add to cart → cart →
// currency → checkout → confirmation.
func (h Hooks) Shop(baseURL, currency string) Journey {
	return Journey{Name: "shop", Steps: []Step{
		h.Home(baseURL), h.OpenProduct(""), h.AddToCart(), h.Cart(baseURL),
		h.ChangeCurrency(currency), h.Checkout(), h.Confirmation(),
	}}
}

// HomeOnly is the browsing user: the home page only.
func (h Hooks) HomeOnly(baseURL string) Journey {
	return Journey{Name: "home", Steps: []Step{h.Home(baseURL)}}
}

// CartCurrency is the OpenTelemetry demo load generator's browser task
// (seed 000): open the cart and change the currency.
func (h Hooks) CartCurrency(baseURL, currency string) Journey {
	return Journey{Name: "cart_currency", Steps: []Step{h.Cart(baseURL), h.ChangeCurrency(currency)}}
}

// ShopJourney is DefaultHooks.Shop(baseURL, "CHF").
func ShopJourney(baseURL string) Journey { return DefaultHooks.Shop(baseURL, "CHF") }

// HomeOnly is DefaultHooks.HomeOnly(baseURL).
func HomeOnly(baseURL string) Journey { return DefaultHooks.HomeOnly(baseURL) }

// CartCurrencyJourney is DefaultHooks.CartCurrency(baseURL, "CHF").
func CartCurrencyJourney(baseURL string) Journey { return DefaultHooks.CartCurrency(baseURL, "CHF") }
