package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// skus is how many products the app seeds into Redis at start.
const skus = 20

// servePrices answers GET /price/{sku} from Redis.
func servePrices() error {
	opts := &redis.Options{Addr: os.Getenv("REDIS_ADDR")}
	if v := os.Getenv("REDIS_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("REDIS_TIMEOUT: %w", err)
		}
		opts.ReadTimeout, opts.WriteTimeout = d, d
	}
	if v := os.Getenv("REDIS_MAX_RETRIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("REDIS_MAX_RETRIES: %w", err)
		}
		opts.MaxRetries = n
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for i := 0; i < skus; i++ {
		if err := rdb.Set(ctx, key(i), 100+i, 0).Err(); err != nil {
			return fmt.Errorf("seed prices: %w", err)
		}
	}
	a := &app{rdb: rdb, stale: os.Getenv("PRICE_FALLBACK") == "stale", last: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET /price/{sku}", a.price)
	log.Printf("prices: redis %s (timeout %v, retries %d, fallback %v)", opts.Addr, opts.ReadTimeout, opts.MaxRetries, a.stale)
	return serve(ctx, mux)
}

func key(i int) string { return "price:sku-" + strconv.Itoa(i) }

type app struct {
	rdb   *redis.Client
	stale bool

	mu   sync.Mutex
	last map[string]string // sku → last price read, for the fallback
}

// price answers {"sku": ..., "price": ..., "stale": bool}.
func (a *app) price(w http.ResponseWriter, r *http.Request) {
	sku := r.PathValue("sku")
	p, err := a.rdb.Get(r.Context(), "price:"+sku).Result()
	stale := false
	switch {
	case errors.Is(err, redis.Nil):
		http.Error(w, "no such sku", http.StatusNotFound)
		return
	case err != nil && a.stale:
		a.mu.Lock()
		p, stale = a.last[sku], true
		a.mu.Unlock()
		if p == "" {
			http.Error(w, "price unavailable", http.StatusServiceUnavailable)
			return
		}
	case err != nil:
		http.Error(w, "price unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	default:
		a.mu.Lock()
		a.last[sku] = p
		a.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"sku": sku, "price": p, "stale": stale})
}
