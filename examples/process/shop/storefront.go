package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// priceTimeout bounds the storefront's call to prices.
const priceTimeout = time.Second

// serveStorefront answers GET /product/{sku} with the product and the
// price the prices service gives.
func serveStorefront() error {
	base := os.Getenv("PRICES_URL")
	if base == "" {
		return fmt.Errorf("PRICES_URL is not set")
	}
	client := &http.Client{Timeout: priceTimeout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET /product/{sku}", func(w http.ResponseWriter, r *http.Request) {
		sku := r.PathValue("sku")
		resp, err := client.Get(base + "/price/" + sku)
		if err != nil {
			http.Error(w, "prices: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			http.Error(w, "prices: "+string(body), resp.StatusCode)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"sku": sku, "name": "Telescope " + sku, "price": json.RawMessage(body)})
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, mux)
}
