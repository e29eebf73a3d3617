package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// smokeCheckout is an OpenTelemetry-demo-shaped checkout body.
const smokeCheckout = `{"userId":"smoke-user","email":"someone@example.com","userCurrency":"USD",
"address":{"streetAddress":"1 Main St","zipCode":"94043","city":"Mountain View","state":"CA","country":"United States"},
"creditCard":{"creditCardNumber":"4432-8015-6152-0454","creditCardExpirationMonth":1,"creditCardExpirationYear":2039,"creditCardCvv":672}}`

// runSmoke walks the shop once like a shopper and prints each step.
func runSmoke(ctx context.Context, base string, out io.Writer) error {
	client := netguard.Client(10 * time.Second)
	steps := []struct {
		name, method, path, body string
	}{
		{"home page", "GET", "/", ""},
		{"product list", "GET", "/api/products", ""},
		{"product page", "GET", "/product/OLJCESPC7Z", ""},
		{"add to cart", "POST", "/api/cart", `{"item":{"productId":"OLJCESPC7Z","quantity":2},"userId":"smoke-user"}`},
		{"cart", "GET", "/api/cart?sessionId=smoke-user&currencyCode=USD", ""},
		{"checkout", "POST", "/api/checkout?currencyCode=USD", smokeCheckout},
	}
	for _, s := range steps {
		req, err := http.NewRequestWithContext(ctx, s.method, base+s.path, bytes.NewBufferString(s.body))
		if err != nil {
			return err
		}
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		began := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		took := time.Since(began).Round(time.Millisecond / 10)
		if resp.StatusCode >= 300 {
			return fmt.Errorf("%s: %s %s answered %d: %.200s", s.name, s.method, s.path, resp.StatusCode, body)
		}
		extra := ""
		if s.name == "checkout" {
			var order struct {
				OrderID string `json:"orderId"`
			}
			if json.Unmarshal(body, &order) == nil && order.OrderID != "" {
				extra = " order " + order.OrderID
			}
		}
		fmt.Fprintf(out, "smoke: %-13s %s %-48s %d %6v %6d bytes%s\n", s.name, s.method, s.path, resp.StatusCode, took, len(body), extra)
	}
	fmt.Fprintln(out, "smoke: ok")
	return nil
}
