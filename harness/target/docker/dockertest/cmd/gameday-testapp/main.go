// Command gameday-testapp is a team's program as the docker target's tests
// see it: its ports are hard-coded and it finds its dependencies through
// its own variables, so it runs unchanged in the containers under test.
//
//	gameday-testapp web   listens on :8080; GET / answers "web>" + API_URL's answer
//	gameday-testapp api   listens on :9000; GET / answers "api" (+ ":N", N = INCR hits on REDIS_ADDR),
//	                      /alloc?mib=N holds N more MiB (to be OOM-killed)
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gameday-testapp web|api")
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	addr := ""
	switch os.Args[1] {
	case "web":
		addr = ":8080"
		hc := &http.Client{Timeout: 5 * time.Second}
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			resp, err := hc.Get(os.Getenv("API_URL") + "/")
			if err != nil {
				http.Error(w, "api: "+err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			w.WriteHeader(resp.StatusCode)
			fmt.Fprintf(w, "web>%s", body)
		})
	case "api":
		addr = ":9000"
		var mu sync.Mutex
		var held [][]byte
		mux.HandleFunc("/alloc", func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("mib"))
			mu.Lock()
			defer mu.Unlock()
			for range min(max(n, 0), 1024) {
				b := make([]byte, 1<<20)
				for i := 0; i < len(b); i += 4096 {
					b[i] = 1
				}
				held = append(held, b)
			}
			fmt.Fprintf(w, "holding %d MiB", len(held))
		})
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			redis := os.Getenv("REDIS_ADDR")
			if redis == "" {
				io.WriteString(w, "api")
				return
			}
			n, err := incr(redis, "hits")
			if err != nil {
				http.Error(w, "redis: "+err.Error(), http.StatusBadGateway)
				return
			}
			fmt.Fprintf(w, "api:%d", n)
		})
	default:
		fmt.Fprintln(os.Stderr, "usage: gameday-testapp web|api")
		os.Exit(2)
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Println("listening on", addr)
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// incr sends INCR key to the Redis server at addr (RESP, no client
// library) and returns the new value.
func incr(addr, key string) (int, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(c, "*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n", len(key), key)
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return 0, err
	}
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, ":") {
		return 0, fmt.Errorf("unexpected reply %q", line)
	}
	return strconv.Atoi(line[1:])
}
