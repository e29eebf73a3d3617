package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// hey prints latencies in seconds with four decimals: a 0.1 ms resolution.
var (
	heyPercentile = regexp.MustCompile(`^\s*(\d+)% in ([\d.]+) secs`)
	heyStatus     = regexp.MustCompile(`^\s*\[\d+\]\s+(\d+) responses`)
)

// heyFormat is hey's text summary: one "[status] N responses" line per
// status, latencies in seconds.
var heyFormat = peerFormat{
	percentile: func(line string) (string, time.Duration, bool) {
		m := heyPercentile.FindStringSubmatch(line)
		if m == nil {
			return "", 0, false
		}
		secs, _ := strconv.ParseFloat(m[2], 64)
		return m[1], time.Duration(secs * float64(time.Second)), true
	},
	requests: func(line string, n *int) {
		if m := heyStatus.FindStringSubmatch(line); m != nil {
			k, _ := strconv.Atoi(m[1])
			*n += k
		}
	},
}

// runHeyCmd runs hey (the Debian package) against url for d with workers
// workers; qps > 0 limits each worker to qps requests per second.
func runHeyCmd(ctx context.Context, url string, workers, qps int, d time.Duration) (peerReport, error) {
	args := []string{"-z", d.String(), "-c", strconv.Itoa(workers)}
	if qps > 0 {
		args = append(args, "-q", strconv.Itoa(qps))
	}
	return runPeer(ctx, parseHey, "hey", append(args, url)...)
}

func parseHey(raw []byte) (peerReport, error) {
	rep := heyFormat.scan(raw)
	if rep.rps == 0 || rep.requests == 0 {
		return rep, fmt.Errorf("hey: no Requests/sec or responses in output:\n%s", raw)
	}
	return rep, nil
}

func runHey(ctx context.Context, url string, conns int, d time.Duration) result {
	rep, err := runHeyCmd(ctx, url, conns, 0, d)
	if err != nil {
		return result{err: err}
	}
	return result{rps: rep.rps, p95: rep.p95, p99: rep.p99, note: fmt.Sprintf("(%d requests)", rep.requests)}
}
