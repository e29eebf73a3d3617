// Command shop is a team's own program, as it runs in their containers: two
// roles of one binary with hard-coded ports, each finding its dependencies
// through its own variables.
//
//	shop inventory   :9000  GET /stock answers the stock of an item
//	shop orders      :8080  GET /order asks inventory (INVENTORY_URL) for the stock, with a
//	                        timeout (INVENTORY_TIMEOUT, default 5s) and, when FALLBACK=on,
//	                        answers "stock unknown" instead of failing; counts orders in
//	                        Redis (REDIS_ADDR, RESP INCR)
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	addr := ""
	switch role := strings.Join(os.Args[1:], " "); role {
	case "inventory":
		addr = ":9000"
		mux.HandleFunc("/stock", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "42") })
	case "orders":
		addr = ":8080"
		timeout, err := time.ParseDuration(envOr("INVENTORY_TIMEOUT", "5s"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "INVENTORY_TIMEOUT:", err)
			os.Exit(2)
		}
		hc := &http.Client{Timeout: timeout}
		mux.HandleFunc("/order", func(w http.ResponseWriter, r *http.Request) {
			stock, err := get(hc, os.Getenv("INVENTORY_URL")+"/stock")
			if err != nil && os.Getenv("FALLBACK") != "on" {
				http.Error(w, "inventory: "+err.Error(), http.StatusBadGateway)
				return
			}
			if err != nil {
				stock = "unknown"
			}
			n, err := incr(os.Getenv("REDIS_ADDR"), "orders")
			if err != nil {
				http.Error(w, "redis: "+err.Error(), http.StatusBadGateway)
				return
			}
			fmt.Fprintf(w, "order %s (stock %s)\n", n, stock)
		})
	default:
		fmt.Fprintln(os.Stderr, "usage: shop inventory|orders")
		os.Exit(2)
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Println("listening on", addr)
	fmt.Fprintln(os.Stderr, srv.ListenAndServe())
	os.Exit(1)
}

func get(hc *http.Client, url string) (string, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	return strings.TrimSpace(string(b)), err
}

// incr sends INCR key to Redis at addr and returns the reply's number.
func incr(addr, key string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(c, "*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n", len(key), key)
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(line, ":") {
		return "", fmt.Errorf("redis replied %q", strings.TrimSpace(line))
	}
	return strings.TrimSpace(line[1:]), nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
