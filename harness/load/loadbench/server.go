package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/load"
)

// runServer is the target process: "ok" on every path, after delay.
func runServer(addr string, delay time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	body := []byte("ok")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if delay > 0 {
			start := time.Now()
			// a precise sleep: time.Sleep alone overshoots by up to 1 ms
			_ = load.SleepUntil(r.Context(), start.Add(delay))
			// what the delay really was on this loaded machine, to tell the
			// client's measurement error from the server's own lateness
			w.Header().Set("X-Server-Time", strconv.FormatInt(int64(time.Since(start)), 10))
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(body)
	})
	return (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

type server struct {
	url string
	cmd *exec.Cmd
}

// startServer runs this binary in serve mode on a loopback port, as a
// separate process, so the load tools and the target do not share a Go
// runtime.
func startServer(ctx context.Context, delay time.Duration) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve", "127.0.0.1:0", "-delay", delay.String())
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start target: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("target did not start: %w", err)
	}
	addr := strings.TrimSpace(strings.TrimPrefix(line, "listening "))
	return &server{url: "http://" + addr + "/", cmd: cmd}, nil
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

func numCPU() int { return runtime.NumCPU() }

func defaultCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return d + "/gameday-bench"
	}
	return os.TempDir() + "/gameday-bench"
}

// loadAvg is the 1/5/15-minute load average: numbers measured on a machine
// busy with other work are only comparable within one run.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
