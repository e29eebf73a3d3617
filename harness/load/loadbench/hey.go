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

// heyReport is what loadbench reads of hey's text summary. hey prints
// latencies in seconds with four decimals: a 0.1 ms resolution.
type heyReport struct {
	rps           float64
	requests      int
	p50, p95, p99 time.Duration
}

var (
	heyPercentile = regexp.MustCompile(`^\s*(\d+)% in ([\d.]+) secs`)
	heyStatus     = regexp.MustCompile(`^\s*\[\d+\]\s+(\d+) responses`)
)

// runHeyCmd runs hey (the Debian package) against url for d with workers
// workers; qps > 0 limits each worker to qps requests per second.
func runHeyCmd(ctx context.Context, url string, workers, qps int, d time.Duration) (heyReport, error) {
	args := []string{"-z", d.String(), "-c", strconv.Itoa(workers)}
	if qps > 0 {
		args = append(args, "-q", strconv.Itoa(qps))
	}
	raw, err := exec.CommandContext(ctx, "hey", append(args, url)...).CombinedOutput()
	if err != nil {
		return heyReport{}, fmt.Errorf("hey: %w\n%s", err, raw)
	}
	return parseHey(raw)
}

func parseHey(raw []byte) (heyReport, error) {
	var rep heyReport
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Requests/sec:"); ok {
			rep.rps, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		if m := heyStatus.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			rep.requests += n
		}
		if m := heyPercentile.FindStringSubmatch(line); m != nil {
			secs, _ := strconv.ParseFloat(m[2], 64)
			d := time.Duration(secs * float64(time.Second))
			switch m[1] {
			case "50":
				rep.p50 = d
			case "95":
				rep.p95 = d
			case "99":
				rep.p99 = d
			}
		}
	}
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
