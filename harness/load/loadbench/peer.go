package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// peerReport is what loadbench reads of a peer tool's text summary (hey's,
// `wrk --latency`'s); a percentile the tool does not print stays 0.
type peerReport struct {
	rps           float64
	requests      int
	p50, p95, p99 time.Duration
}

// runPeer runs a peer tool (its Debian package) and reads its output with
// parse.
func runPeer(ctx context.Context, parse func([]byte) (peerReport, error), name string, args ...string) (peerReport, error) {
	raw, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return peerReport{}, fmt.Errorf("%s: %w\n%s", name, err, raw)
	}
	return parse(raw)
}

// peerFormat is how one tool prints what the tools share.
type peerFormat struct {
	// percentile reads a latency line: the percentile ("50") and its latency.
	percentile func(line string) (pct string, d time.Duration, ok bool)
	// requests adds what line says of the requests made to n.
	requests func(line string, n *int)
}

// scan reads raw's "Requests/sec:" line, its request count and its 50th,
// 95th and 99th percentiles.
func (f peerFormat) scan(raw []byte) peerReport {
	var rep peerReport
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Requests/sec:"); ok {
			rep.rps, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		f.requests(line, &rep.requests)
		if pct, d, ok := f.percentile(line); ok {
			switch pct {
			case "50":
				rep.p50 = d
			case "95":
				rep.p95 = d
			case "99":
				rep.p99 = d
			}
		}
	}
	return rep
}
