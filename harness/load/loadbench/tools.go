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
	m, err := runK6Script(ctx, cache, k6Script, "--vus", strconv.Itoa(conns), "--duration", d.String(), "-e", "URL="+url)
	if err != nil {
		return result{err: err}
	}
	dur := m["http_req_duration"]
	return result{rps: m["http_reqs"]["rate"], p95: msDur(dur["p(95)"]), p99: msDur(dur["p(99)"]),
		note: fmt.Sprintf("(%.0f requests)", m["http_reqs"]["count"])}
}

// k6Metrics is handleSummary's data.metrics: metric name → value name → value.
type k6Metrics map[string]map[string]float64

// runK6Script runs a k6 script (which writes its handleSummary data to
// __ENV.OUT) with args and returns the summary's metric values.
func runK6Script(ctx context.Context, cache, script string, args ...string) (k6Metrics, error) {
	bin, err := ensureBinary(ctx, cache, "k6", "go.k6.io/k6@v1.8.1")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "loadbench-k6")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path, out := filepath.Join(dir, "bench.js"), filepath.Join(dir, "summary.json")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return nil, err
	}
	args = append(append([]string{"run", "--quiet", "--no-usage-report", "-e", "OUT=" + out}, args...), path)
	if b, err := exec.CommandContext(ctx, bin, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("k6: %w\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var sum struct {
		Metrics map[string]struct{ Values map[string]float64 }
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		return nil, fmt.Errorf("k6 summary: %w", err)
	}
	m := k6Metrics{}
	for name, v := range sum.Metrics {
		m[name] = v.Values
	}
	return m, nil
}

// vegetaReport is what loadbench reads of `vegeta report -type=json`.
type vegetaReport struct {
	Requests   int64   `json:"requests"`
	Throughput float64 `json:"throughput"`
	Latencies  struct {
		P50 int64 `json:"50th"`
		P95 int64 `json:"95th"`
		P99 int64 `json:"99th"`
	} `json:"latencies"`
}

// runVegetaAttack attacks url with the attack flags and returns the report.
func runVegetaAttack(ctx context.Context, cache, url string, flags ...string) (vegetaReport, error) {
	var rep vegetaReport
	bin, err := ensureBinary(ctx, cache, "vegeta", "github.com/tsenart/vegeta/v12@latest")
	if err != nil {
		return rep, err
	}
	attack := exec.CommandContext(ctx, bin, append([]string{"attack"}, flags...)...)
	attack.Stdin = strings.NewReader("GET " + url + "\n")
	var results bytes.Buffer
	attack.Stdout = &results
	if err := attack.Run(); err != nil {
		return rep, fmt.Errorf("vegeta attack: %w", err)
	}
	report := exec.CommandContext(ctx, bin, "report", "-type=json")
	report.Stdin = &results
	raw, err := report.Output()
	if err != nil {
		return rep, fmt.Errorf("vegeta report: %w", err)
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return rep, fmt.Errorf("vegeta report: %w", err)
	}
	return rep, nil
}

func runVegeta(ctx context.Context, cache, url string, conns int, d time.Duration) result {
	rep, err := runVegetaAttack(ctx, cache, url, "-rate=0", "-max-workers="+strconv.Itoa(conns),
		"-workers="+strconv.Itoa(conns), "-connections="+strconv.Itoa(conns), "-duration="+d.String())
	if err != nil {
		return result{err: err}
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
