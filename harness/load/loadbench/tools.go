package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ensureBinary returns name from cache, installing pkg with go install
// (GOBIN=cache) when missing.
func ensureBinary(ctx context.Context, cache, name, pkg string) (string, error) {
	path := filepath.Join(cache, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	fmt.Printf("installing %s into %s (once)\n", pkg, cache)
	cmd := exec.CommandContext(ctx, "go", "install", pkg)
	cmd.Env = append(os.Environ(), "GOBIN="+cache)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", pkg, err, out)
	}
	return path, nil
}

const k6Script = `import http from 'k6/http';
export const options = { summaryTrendStats: ['p(95)', 'p(99)'] };
export default function () { http.get(__ENV.URL); }
export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }
`

func runK6(ctx context.Context, cache, url string, conns int, d time.Duration) result {
	bin, err := ensureBinary(ctx, cache, "k6", "go.k6.io/k6@v1.8.1")
	if err != nil {
		return result{err: err}
	}
	dir, err := os.MkdirTemp("", "loadbench-k6")
	if err != nil {
		return result{err: err}
	}
	defer os.RemoveAll(dir)
	script, out := filepath.Join(dir, "bench.js"), filepath.Join(dir, "summary.json")
	if err := os.WriteFile(script, []byte(k6Script), 0o644); err != nil {
		return result{err: err}
	}
	cmd := exec.CommandContext(ctx, bin, "run", "--quiet", "--no-usage-report", "--vus", strconv.Itoa(conns),
		"--duration", d.String(), "-e", "URL="+url, "-e", "OUT="+out, script)
	if b, err := cmd.CombinedOutput(); err != nil {
		return result{err: fmt.Errorf("k6: %w\n%s", err, b)}
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return result{err: err}
	}
	var sum struct {
		Metrics map[string]struct{ Values map[string]float64 }
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		return result{err: fmt.Errorf("k6 summary: %w", err)}
	}
	dur := sum.Metrics["http_req_duration"].Values
	return result{rps: sum.Metrics["http_reqs"].Values["rate"], p95: msDur(dur["p(95)"]), p99: msDur(dur["p(99)"]),
		note: fmt.Sprintf("(%.0f requests)", sum.Metrics["http_reqs"].Values["count"])}
}

func runVegeta(ctx context.Context, cache, url string, conns int, d time.Duration) result {
	bin, err := ensureBinary(ctx, cache, "vegeta", "github.com/tsenart/vegeta/v12@latest")
	if err != nil {
		return result{err: err}
	}
	attack := exec.CommandContext(ctx, bin, "attack", "-rate=0", "-max-workers="+strconv.Itoa(conns),
		"-workers="+strconv.Itoa(conns), "-connections="+strconv.Itoa(conns), "-duration="+d.String())
	attack.Stdin = strings.NewReader("GET " + url + "\n")
	var results bytes.Buffer
	attack.Stdout = &results
	if err := attack.Run(); err != nil {
		return result{err: fmt.Errorf("vegeta attack: %w", err)}
	}
	report := exec.CommandContext(ctx, bin, "report", "-type=json")
	report.Stdin = &results
	raw, err := report.Output()
	if err != nil {
		return result{err: fmt.Errorf("vegeta report: %w", err)}
	}
	var rep struct {
		Requests   int64   `json:"requests"`
		Rate       float64 `json:"rate"`
		Throughput float64 `json:"throughput"`
		Latencies  struct {
			P95 int64 `json:"95th"`
			P99 int64 `json:"99th"`
		} `json:"latencies"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return result{err: fmt.Errorf("vegeta report: %w", err)}
	}
	return result{rps: rep.Throughput, p95: time.Duration(rep.Latencies.P95), p99: time.Duration(rep.Latencies.P99),
		note: fmt.Sprintf("(%d requests)", rep.Requests)}
}

var wrkLatency = regexp.MustCompile(`^\s*(\d+)%\s+([\d.]+)(us|ms|s)\s*$`)

func runWrk(ctx context.Context, url string, conns int, d time.Duration) result {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(min(conns, numCPU())), "-c", strconv.Itoa(conns),
		"-d", strconv.Itoa(secs)+"s", "--latency", url)
	raw, err := cmd.CombinedOutput()
	if err != nil {
		return result{err: fmt.Errorf("wrk: %w\n%s", err, raw)}
	}
	var r result
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Requests/sec:"); ok {
			r.rps, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		if m := wrkLatency.FindStringSubmatch(line); m != nil && m[1] == "99" {
			v, _ := strconv.ParseFloat(m[2], 64)
			unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
			r.p99 = time.Duration(v * float64(unit))
		}
	}
	if r.rps == 0 {
		return result{err: fmt.Errorf("wrk: no Requests/sec in output:\n%s", raw)}
	}
	r.note = "(wrk reports no p95)"
	return r
}
