package embedded

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// BenchmarkProcessStartStop compares starting and stopping one process
// service through the target (free port, proxy, env, health check, SIGTERM)
// with doing it by hand (exec, poll the health path, SIGTERM, wait). The
// difference is gameday's cost on top of the program's own start-up:
//
//	go test -run '^$' -bench ProcessStartStop -v ./harness/target/embedded/
func BenchmarkProcessStartStop(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	var byHand, viaTarget time.Duration
	b.Run("by-hand", func(b *testing.B) {
		begin := time.Now()
		for range b.N {
			addr, _ := freePort("127.0.0.1")
			cmd := exec.Command(exe)
			cmd.Env = append(os.Environ(), helperEnv+"=http", "LISTEN_ADDR="+addr)
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			for !healthy(addr) {
				time.Sleep(readyPoll)
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		}
		byHand = time.Since(begin) / time.Duration(b.N)
	})
	b.Run("target", func(b *testing.B) {
		svc := target.Service{Name: "svc", Health: "/healthz", Env: target.Env{helperEnv: "http"},
			Process: &target.Process{Path: exe, InheritEnv: true, ListenEnv: "LISTEN_ADDR"}}
		tg, _ := NewWithConfig(Config{ReadyTimeout: 10 * time.Second})
		begin := time.Now()
		for range b.N {
			r, err := tg.StartSystem(context.Background(), target.System{Name: "bench", Services: []target.Service{svc}})
			if err != nil {
				b.Fatal(err)
			}
			if err := r.Stop(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		viaTarget = time.Since(begin) / time.Duration(b.N)
	})
	if byHand > 0 && viaTarget > 0 {
		b.Logf("start+stop of one process: by hand %v, through the target %v: ratio target/by-hand %.2f",
			byHand, viaTarget, float64(viaTarget)/float64(byHand))
	}
}

func healthy(addr string) bool {
	c := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true,
		DialContext: (&net.Dialer{Timeout: time.Second}).DialContext}}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
