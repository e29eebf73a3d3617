// Command gameday-testapp is a team's program as the docker target's tests
// see it: its ports are hard-coded and it finds its dependencies through
// its own variables, so it runs unchanged in the containers under test.
//
//	gameday-testapp web   listens on :8080; GET / answers "web>" + API_URL's answer
//	gameday-testapp api   listens on :9000; GET / answers "api" (+ ":N", N = INCR hits on REDIS_ADDR),
//	                      /alloc?mib=N holds N more MiB (to be OOM-killed); with DATA_DIR set,
//	                      each GET / appends a line to DATA_DIR/hits
//	                      listens on :9001 too (an admin port); GET / there answers "api-admin"
//	gameday-testapp audit listens on :9100; GET / answers "hits:N", N = lines in DATA_DIR/hits
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gameday-testapp web|api|audit")
		os.Exit(2)
	}
	hits := filepath.Join(os.Getenv("DATA_DIR"), "hits")
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
		admin := &http.Server{Addr: ":9001", ReadHeaderTimeout: 5 * time.Second,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api-admin") })}
		go func() {
			if err := admin.ListenAndServe(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}()
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
			if os.Getenv("DATA_DIR") != "" {
				if err := appendLine(hits); err != nil {
					http.Error(w, "data: "+err.Error(), http.StatusInternalServerError)
					return
				}
			}
			fmt.Fprintf(w, "api:%d", n)
		})
	case "audit":
		addr = ":9100"
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile(hits)
			if err != nil && !os.IsNotExist(err) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "hits:%d", strings.Count(string(b), "\n"))
		})
	default:
		fmt.Fprintln(os.Stderr, "usage: gameday-testapp web|api|audit")
		os.Exit(2)
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Println("listening on", addr)
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// appendLine appends one line to the file at path.
func appendLine(path string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString("hit\n")
	return errors.Join(err, f.Close())
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
