package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The peers' latency error against the same fixed-delay server, in the
// open model at the same rate: what this machine's loopback and scheduler
// noise costs any tool, next to gameday's numbers.

const k6ArrivalScript = `import http from 'k6/http';
export const options = {
  summaryTrendStats: ['med', 'p(99)'],
  scenarios: { delay: { executor: 'constant-arrival-rate', rate: __ENV.RATE * 1, timeUnit: '1s',
    duration: __ENV.DURATION, preAllocatedVUs: __ENV.VUS * 1, maxVUs: __ENV.VUS * 4 } },
};
export default function () { http.get(__ENV.URL); }
export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }
`

// peerLatency returns p50 and p99 in milliseconds.
type peerLatency func(ctx context.Context, url string, rate, vus int, d time.Duration) (p50, p99 float64, n int, err error)

func k6Latency(cache string) peerLatency {
	return func(ctx context.Context, url string, rate, vus int, d time.Duration) (float64, float64, int, error) {
		bin, err := ensureBinary(ctx, cache, "k6", "go.k6.io/k6@v1.8.1")
		if err != nil {
			return 0, 0, 0, err
		}
		dir, err := os.MkdirTemp("", "loadbench-k6")
		if err != nil {
			return 0, 0, 0, err
		}
		defer os.RemoveAll(dir)
		script, out := filepath.Join(dir, "delay.js"), filepath.Join(dir, "summary.json")
		if err := os.WriteFile(script, []byte(k6ArrivalScript), 0o644); err != nil {
			return 0, 0, 0, err
		}
		cmd := exec.CommandContext(ctx, bin, "run", "--quiet", "--no-usage-report",
			"-e", "URL="+url, "-e", "OUT="+out, "-e", "RATE="+strconv.Itoa(rate),
			"-e", "VUS="+strconv.Itoa(vus), "-e", "DURATION="+d.String(), script)
		if b, err := cmd.CombinedOutput(); err != nil {
			return 0, 0, 0, fmt.Errorf("k6: %w\n%s", err, b)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			return 0, 0, 0, err
		}
		var sum struct {
			Metrics map[string]struct{ Values map[string]float64 }
		}
		if err := json.Unmarshal(raw, &sum); err != nil {
			return 0, 0, 0, fmt.Errorf("k6 summary: %w", err)
		}
		dur := sum.Metrics["http_req_duration"].Values
		return dur["med"], dur["p(99)"], int(sum.Metrics["http_reqs"].Values["count"]), nil
	}
}

func vegetaLatency(cache string) peerLatency {
	return func(ctx context.Context, url string, rate, vus int, d time.Duration) (float64, float64, int, error) {
		bin, err := ensureBinary(ctx, cache, "vegeta", "github.com/tsenart/vegeta/v12@latest")
		if err != nil {
			return 0, 0, 0, err
		}
		attack := exec.CommandContext(ctx, bin, "attack", "-rate="+strconv.Itoa(rate)+"/s",
			"-workers="+strconv.Itoa(vus), "-duration="+d.String())
		attack.Stdin = strings.NewReader("GET " + url + "\n")
		var results bytes.Buffer
		attack.Stdout = &results
		if err := attack.Run(); err != nil {
			return 0, 0, 0, fmt.Errorf("vegeta attack: %w", err)
		}
		report := exec.CommandContext(ctx, bin, "report", "-type=json")
		report.Stdin = &results
		raw, err := report.Output()
		if err != nil {
			return 0, 0, 0, fmt.Errorf("vegeta report: %w", err)
		}
		var rep struct {
			Requests  int `json:"requests"`
			Latencies struct {
				P50 int64 `json:"50th"`
				P99 int64 `json:"99th"`
			} `json:"latencies"`
		}
		if err := json.Unmarshal(raw, &rep); err != nil {
			return 0, 0, 0, fmt.Errorf("vegeta report: %w", err)
		}
		return float64(rep.Latencies.P50) / 1e6, float64(rep.Latencies.P99) / 1e6, rep.Requests, nil
	}
}
