package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gameday-dev/gameday/harness/load"
)

// The demo's product ids (the OpenTelemetry demo's catalogue).
var productIDs = []string{"0PUK6V6EV0", "1YMWWN1N4O", "2ZYFJ3GM2N", "66VCHSJNUP", "6E92ZMYYFZ",
	"9SIQT8TOJO", "L9ECAV7KIM", "LS4PSXUNUM", "OLJCESPC7Z", "HQTGWGPNH4"}

func randomProduct() string { return productIDs[rand.IntN(len(productIDs))] }

func userOf(vu *load.VU) string {
	return vu.Scenario + "-" + strconv.FormatUint(vu.ID, 10) + "-" + strconv.FormatUint(vu.Iteration, 10)
}

// browseRecommendations asks the frontend for recommendations next to one
// product, as the home and product pages do.
func browseRecommendations(front string) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		q := url.Values{"productIds": {randomProduct()}, "sessionId": {userOf(vu)}, "currencyCode": {"USD"}}
		_, err := vu.HTTP.Get(ctx, front+"/api/recommendations?"+q.Encode(), load.Name("recommendations"))
		return err
	}
}

// home loads the home page.
func home(front string) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		_, err := vu.HTTP.Get(ctx, front+"/", load.Name("home"), load.DiscardBody())
		return err
	}
}

// browseProducts reads the product list and one product (catalog-backed).
func browseProducts(front string) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		if _, err := vu.HTTP.Get(ctx, front+"/api/products", load.Name("products")); err != nil {
			return err
		}
		_, err := vu.HTTP.Get(ctx, front+"/api/products/"+randomProduct(), load.Name("product"))
		return err
	}
}

// currency reads the currency list: a page that needs no catalog.
func currency(front string) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		_, err := vu.HTTP.Get(ctx, front+"/api/currency", load.Name("currency"))
		return err
	}
}

// Address examples: most shoppers are domestic, a share ship abroad.
var (
	homeAddress   = map[string]string{"streetAddress": "1600 Amphitheatre Parkway", "zipCode": "94043", "city": "Mountain View", "state": "CA", "country": "United States"}
	abroadAddress = map[string]string{"streetAddress": "Bahnhofstrasse 1", "zipCode": "8001", "city": "Zurich", "state": "ZH", "country": "Switzerland"}
)

// shippingQuote asks for a shipping quote; a share of the shoppers ship abroad.
func shippingQuote(front string, abroadShare float64) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		addr := homeAddress
		if rand.Float64() < abroadShare {
			addr = abroadAddress
		}
		items, _ := json.Marshal([]map[string]any{{"productId": randomProduct(), "quantity": 1}})
		a, _ := json.Marshal(addr)
		q := url.Values{"itemList": {string(items)}, "address": {string(a)}, "currencyCode": {"USD"}}
		_, err := vu.HTTP.Get(ctx, front+"/api/shipping?"+q.Encode(), load.Name("shipping"))
		return err
	}
}

// checkoutResult is what one shopper's checkout came to.
type checkoutResult struct {
	Status    int
	Graceful  bool // a clear "try later" answer (503) rather than a raw error
	CartKept  bool // after a failed checkout the cart still holds the items
	Succeeded bool
}

// checkout adds a product to a fresh cart and checks out. It records the
// checks "checkout_ok_or_graceful" and, after a failure, "cart_kept".
func checkout(front string) load.Exec {
	return func(ctx context.Context, vu *load.VU) error {
		_, err := placeOrder(ctx, vu, front)
		return err
	}
}

func placeOrder(ctx context.Context, vu *load.VU, front string) (checkoutResult, error) {
	var res checkoutResult
	user := userOf(vu)
	item := map[string]any{"item": map[string]any{"productId": randomProduct(), "quantity": 1}, "userId": user}
	r, err := vu.HTTP.JSON(ctx, http.MethodPost, front+"/api/cart", item, nil, load.Name("cart_add"))
	if err != nil {
		return res, err
	}
	if r.Status != http.StatusOK {
		return res, nil // recorded as a failed request; nothing to check out
	}
	body := map[string]any{"userId": user, "email": "shopper@example.com", "userCurrency": "USD",
		"address": homeAddress,
		"creditCard": map[string]any{"creditCardNumber": "4432-8015-6152-0454", "creditCardExpirationMonth": 1,
			"creditCardExpirationYear": 2039, "creditCardCvv": 672}}
	r, err = vu.HTTP.JSON(ctx, http.MethodPost, front+"/api/checkout?currencyCode=USD", body, nil, load.Name("checkout"))
	if err != nil {
		return res, err
	}
	res.Status = r.Status
	res.Succeeded = r.Status == http.StatusOK
	res.Graceful = r.Status == http.StatusServiceUnavailable
	vu.Check("checkout_ok_or_graceful", res.Succeeded || res.Graceful)
	if !res.Succeeded {
		var cart struct {
			Items []json.RawMessage `json:"items"`
		}
		cr, err := vu.HTTP.JSON(ctx, http.MethodGet, front+"/api/cart?sessionId="+url.QueryEscape(user)+"&currencyCode=USD",
			nil, &cart, load.Name("cart_get"))
		if err != nil {
			return res, err
		}
		res.CartKept = cr.Status == http.StatusOK && len(cart.Items) > 0
		vu.Check("cart_kept", res.CartKept)
	}
	return res, nil
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
