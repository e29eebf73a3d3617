package embedded

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// helperEnv makes the test binary run as a small program instead of the
// tests: process services in these tests are this binary.
const helperEnv = "GAMEDAY_EMBEDDED_HELPER"

// helperMain is the program: "http" serves (see helperHandler), "exit"
// ends at once, "sleep" writes its pid to $PID_FILE and sleeps.
func helperMain(mode string) int {
	switch mode {
	case "exit":
		fmt.Fprintln(os.Stderr, "helper: nothing to do")
		return 3
	case "sleep":
		if f := os.Getenv("PID_FILE"); f != "" {
			_ = os.WriteFile(f, []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
		time.Sleep(time.Hour)
		return 0
	}
	addr := os.Getenv("LISTEN_ADDR")
	for i, a := range os.Args {
		if a == "-addr" && i+1 < len(os.Args) {
			addr = os.Args[i+1]
		}
	}
	if p := os.Getenv("FIXED_PORT"); p != "" {
		addr = "0.0.0.0:" + p // a program that listens where it likes
	}
	if d, err := time.ParseDuration(os.Getenv("START_DELAY")); err == nil {
		time.Sleep(d) // a slow start: loading data, warming caches
	}
	if f := os.Getenv("REQUIRE_FILE"); f != "" {
		// Like a program that reads what another left at start, and gives up.
		if _, err := os.Stat(f); err != nil {
			fmt.Fprintln(os.Stderr, "helper: not there at start:", err)
			return 1
		}
	}
	if os.Getenv("CHECK_BACKEND_AT_START") != "" {
		// Like a program that pings its database once at start and gives up.
		resp, err := http.Get(os.Getenv("BACKEND_URL") + "/healthz")
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper: backend down at start:", err)
			return 1
		}
		resp.Body.Close()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	fmt.Println("listening on", ln.Addr())
	if f := os.Getenv("READY_FILE"); f != "" {
		_ = os.WriteFile(f, nil, 0o644)
	}
	fmt.Fprintln(os.Stderr, "helper stderr line")
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for range sigs {
			if os.Getenv("IGNORE_TERM") != "" {
				fmt.Println("ignoring SIGTERM")
				continue
			}
			fmt.Println("got SIGTERM, bye")
			os.Exit(0)
		}
	}()
	_ = http.Serve(ln, helperHandler())
	return 0
}

var held [][]byte // memory /alloc keeps

// helperHandler: / answers NAME, or NAME+(what $BACKEND_URL answers);
// /env?k=K the variable K; /alloc?mb=N takes and touches N MiB;
// /spin?ms=N burns CPU for N ms of wall time and says how much CPU time it got.
func helperHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.URL.Query().Get("k")))
	})
	mux.HandleFunc("/alloc", func(w http.ResponseWriter, r *http.Request) {
		mb, _ := strconv.Atoi(r.URL.Query().Get("mb"))
		for i := 0; i < mb; i++ {
			b := make([]byte, 1<<20)
			for j := range b {
				b[j] = byte(j)
			}
			held = append(held, b)
		}
		fmt.Fprint(w, len(held))
	})
	mux.HandleFunc("/spin", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		before := cpuTime()
		end := time.Now().Add(time.Duration(ms) * time.Millisecond)
		x := 0
		for time.Now().Before(end) {
			for i := 0; i < 1000; i++ {
				x += i
			}
		}
		fmt.Fprint(w, (cpuTime() - before).Milliseconds())
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := os.Getenv("NAME")
		backend := os.Getenv("BACKEND_URL")
		if backend == "" {
			fmt.Fprint(w, name)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, backend+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%s+%s", name, b)
	})
	return mux
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
