package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

var (
	wrkLatency  = regexp.MustCompile(`^\s*(\d+)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`^\s*(\d+) requests in `)
)

// wrkFormat is `wrk --latency`'s summary: one "N requests in" line,
// latencies with their unit (it prints no 95th percentile).
var wrkFormat = peerFormat{
	percentile: func(line string) (string, time.Duration, bool) {
		m := wrkLatency.FindStringSubmatch(line)
		if m == nil || m[1] == "95" {
			return "", 0, false
		}
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		return m[1], time.Duration(v * float64(unit)), true
	},
	requests: func(line string, n *int) {
		if m := wrkRequests.FindStringSubmatch(line); m != nil {
			*n, _ = strconv.Atoi(m[1])
		}
	},
}

// runWrkCmd runs wrk (the Debian package) with conns connections for d.
func runWrkCmd(ctx context.Context, url string, conns int, d time.Duration) (peerReport, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	return runPeer(ctx, parseWrk, "wrk", "-t", strconv.Itoa(min(conns, numCPU())), "-c", strconv.Itoa(conns),
		"-d", strconv.Itoa(secs)+"s", "--latency", url)
}

func parseWrk(raw []byte) (peerReport, error) {
	rep := wrkFormat.scan(raw)
	if rep.rps == 0 {
		return rep, fmt.Errorf("wrk: no Requests/sec in output:\n%s", raw)
	}
	return rep, nil
}

func runWrk(ctx context.Context, url string, conns int, d time.Duration) result {
	rep, err := runWrkCmd(ctx, url, conns, d)
	if err != nil {
		return result{err: err}
	}
	return result{rps: rep.rps, p99: rep.p99, note: fmt.Sprintf("(%d requests; wrk reports no p95)", rep.requests)}
}
