package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkReport is what loadbench reads of `wrk --latency`.
type wrkReport struct {
	rps      float64
	requests int
	p50, p99 time.Duration
}

var (
	wrkLatency  = regexp.MustCompile(`^\s*(\d+)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`^\s*(\d+) requests in `)
)

// runWrkCmd runs wrk (the Debian package) with conns connections for d.
func runWrkCmd(ctx context.Context, url string, conns int, d time.Duration) (wrkReport, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(min(conns, numCPU())), "-c", strconv.Itoa(conns),
		"-d", strconv.Itoa(secs)+"s", "--latency", url)
	raw, err := cmd.CombinedOutput()
	if err != nil {
		return wrkReport{}, fmt.Errorf("wrk: %w\n%s", err, raw)
	}
	return parseWrk(raw)
}

func parseWrk(raw []byte) (wrkReport, error) {
	var rep wrkReport
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Requests/sec:"); ok {
			rep.rps, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		if m := wrkRequests.FindStringSubmatch(line); m != nil {
			rep.requests, _ = strconv.Atoi(m[1])
		}
		if m := wrkLatency.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
			switch m[1] {
			case "50":
				rep.p50 = time.Duration(v * float64(unit))
			case "99":
				rep.p99 = time.Duration(v * float64(unit))
			}
		}
	}
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
