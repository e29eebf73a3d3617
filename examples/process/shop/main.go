// Command shop is the example system of examples/process, one binary for
// two services, each configured from its environment as a team's service
// would be:
//
//	shop serve prices      GET /price/{sku} from Redis
//	  LISTEN_ADDR        where to serve HTTP (host:port)
//	  REDIS_ADDR         where Redis is (host:port)
//	  REDIS_TIMEOUT      read/write timeout of a Redis call (default: the
//	                     client's, 3 s)
//	  REDIS_MAX_RETRIES  retries of a failed Redis call (default: the client's, 3)
//	  PRICE_FALLBACK     "stale": when Redis fails, answer the last price read
//	                     (default: answer 503)
//
//	shop serve storefront  GET /product/{sku}: the product with its price
//	  LISTEN_ADDR        where to serve HTTP (host:port)
//	  PRICES_URL         the prices service's base URL
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) != 3 || os.Args[1] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: shop serve prices|storefront")
		os.Exit(2)
	}
	var err error
	switch os.Args[2] {
	case "prices":
		err = servePrices()
	case "storefront":
		err = serveStorefront()
	default:
		fmt.Fprintf(os.Stderr, "shop: unknown service %q (want prices or storefront)\n", os.Args[2])
		os.Exit(2)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// serve serves h on $LISTEN_ADDR until ctx ends.
func serve(ctx context.Context, h http.Handler) error {
	srv := &http.Server{Addr: os.Getenv("LISTEN_ADDR"), Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	log.Printf("serving on %s", srv.Addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
