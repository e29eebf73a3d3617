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

// vegetaModule is the peer installed with `go install` (a Go module, MIT
// licensed, never a dependency of gameday's own module).
const vegetaModule = "github.com/tsenart/vegeta/v12@v12.13.0"

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
	bin, err := ensureBinary(ctx, cache, "vegeta", vegetaModule)
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
