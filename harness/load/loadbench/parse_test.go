package main

import (
	"os"
	"testing"
	"time"
)

// The peers' text outputs, captured from the Debian packages' hey and wrk
// on this machine's loopback (hey's with a 503 status line added, so the
// request count sums every status), parse into the numbers loadbench prints.
func TestParsePeerOutputs(t *testing.T) {
	raw, err := os.ReadFile("testdata/hey.txt")
	if err != nil {
		t.Fatal(err)
	}
	hey, err := parseHey(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := peerReport{rps: 585.9906, requests: 588, p50: 2600 * time.Microsecond,
		p95: 6500 * time.Microsecond, p99: 18800 * time.Microsecond}
	if hey != want {
		t.Errorf("hey: %+v, want %+v", hey, want)
	}
	raw, err = os.ReadFile("testdata/wrk.txt")
	if err != nil {
		t.Fatal(err)
	}
	wrk, err := parseWrk(raw)
	if err != nil {
		t.Fatal(err)
	}
	if w := (peerReport{rps: 704.75, requests: 730, p50: 1580 * time.Microsecond, p99: 64110 * time.Microsecond}); wrk != w {
		t.Errorf("wrk: %+v, want %+v", wrk, w)
	}
	if _, err := parseHey([]byte("Error: connection refused")); err == nil {
		t.Error("hey output without numbers parsed")
	}
	if _, err := parseWrk([]byte("unable to connect")); err == nil {
		t.Error("wrk output without numbers parsed")
	}
}

func TestCheckFlags(t *testing.T) {
	if tools, err := checkFlags(time.Second, time.Second, 50, 0, "gameday, hey"); err != nil || len(tools) != 2 {
		t.Fatalf("%v %v", tools, err)
	}
	for _, bad := range []struct {
		d, lat      time.Duration
		conns, idle int
		tools       string
	}{{0, time.Second, 1, 0, "gameday"}, {time.Second, time.Second, 0, 0, "gameday"},
		{time.Second, time.Second, 1, -1, "gameday"}, {time.Second, time.Second, 1, 0, "gameday,k6"}} {
		if _, err := checkFlags(bad.d, bad.lat, bad.conns, bad.idle, bad.tools); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
