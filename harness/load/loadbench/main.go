// Command loadbench compares gameday's load engine with vegeta, wrk and
// hey against the same trivial loopback HTTP server (run as a separate
// process), side by side in one run, and prints "ratio gameday/PEER X"
// (requests per second). Then it measures memory per idle VU and the
// latency error against a server with a fixed delay (the server sleeps
// precisely and reports the delay it applied); the same peers drive it at
// the same request rate, as the machine's noise floor.
//
//	go run ./harness/load/loadbench [-duration 10s] [-conns 50] [-tools gameday,vegeta,wrk,hey]
//
// vegeta is installed with `go install` (a pinned version) into the cache
// directory (~/.cache/gameday-bench) when missing; wrk and hey come from
// their Debian packages (`make deps`). No peer is a dependency of gameday's
// module. k6 is not a peer: it is AGPL-licensed and gameday keeps it out of
// every install path.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"
)

// profilePath, when set, receives a CPU profile of the gameday run.
var profilePath string

type result struct {
	tool     string
	rps      float64
	p95, p99 time.Duration // 0 when the tool does not report it
	note     string
	err      error
}

func main() {
	serve := flag.String("serve", "", "internal: serve the benchmark target on this address")
	delay := flag.Duration("delay", 0, "internal: the served endpoint's fixed delay")
	duration := flag.Duration("duration", 10*time.Second, "how long each tool runs")
	conns := flag.Int("conns", 50, "concurrent connections (VUs) per tool")
	tools := flag.String("tools", "gameday,vegeta,wrk,hey", "tools to compare")
	idleVUs := flag.Int("idle-vus", 10000, "VUs for the idle-memory measurement (0 skips)")
	latency := flag.Duration("latency-duration", 10*time.Second, "how long each tool drives the fixed-delay server (200 requests/s)")
	cache := flag.String("cache", defaultCache(), "where the vegeta binary is installed")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the gameday run to this file")
	flag.Parse()
	if *serve != "" {
		if err := runServer(*serve, *delay); err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
			os.Exit(1)
		}
		return
	}
	toolList, err := checkFlags(*duration, *latency, *conns, *idleVUs, *tools)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(2)
	}
	profilePath = *cpuProfile
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if err := bench(ctx, *duration, *conns, toolList, *idleVUs, *cache, *latency); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// knownTools are the -tools values: gameday and its peers.
var knownTools = []string{"gameday", "vegeta", "wrk", "hey"}

// checkFlags refuses flags that cannot make a measurement, before any
// process starts.
func checkFlags(d, latency time.Duration, conns, idleVUs int, tools string) ([]string, error) {
	var errs []error
	if d <= 0 || latency <= 0 {
		errs = append(errs, fmt.Errorf("-duration %s and -latency-duration %s must be positive", d, latency))
	}
	if conns < 1 || conns > 10000 {
		errs = append(errs, fmt.Errorf("-conns %d: want 1 to 10000", conns))
	}
	if idleVUs < 0 || idleVUs > 1000000 {
		errs = append(errs, fmt.Errorf("-idle-vus %d: want 0 to 1000000", idleVUs))
	}
	var list []string
	for _, t := range strings.Split(tools, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(knownTools, t) {
			errs = append(errs, fmt.Errorf("-tools: unknown tool %q (want some of %s)", t, strings.Join(knownTools, ",")))
			continue
		}
		list = append(list, t)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return list, nil
}

func bench(ctx context.Context, d time.Duration, conns int, tools []string, idleVUs int, cache string, latency time.Duration) error {
	target, err := startServer(ctx, 0)
	if err != nil {
		return err
	}
	defer target.stop()
	fmt.Printf("target %s, %d connections, %s per tool, %d CPUs, load average %s\n\n", target.url, conns, d, numCPU(), loadAvg())
	byTool := map[string]result{}
	for _, tool := range tools {
		var r result
		switch strings.TrimSpace(tool) {
		case "gameday":
			r = runGameday(ctx, target.url, conns, d)
		case "hey":
			r = runHey(ctx, target.url, conns, d)
		case "vegeta":
			r = runVegeta(ctx, cache, target.url, conns, d)
		case "wrk":
			r = runWrk(ctx, target.url, conns, d)
		}
		r.tool = strings.TrimSpace(tool)
		byTool[r.tool] = r
		printResult(r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Println()
	for _, peer := range []string{"vegeta", "wrk", "hey"} {
		g, p := byTool["gameday"], byTool[peer]
		if g.err == nil && p.err == nil && g.rps > 0 && p.rps > 0 {
			fmt.Printf("ratio gameday/%s %.2f\n", peer, g.rps/p.rps)
		}
	}
	fmt.Printf("load average after the comparison: %s\n", loadAvg())
	if idleVUs > 0 {
		perVU, err := idleVUMemory(ctx, idleVUs)
		if err != nil {
			fmt.Printf("idle VU memory: error: %v\n", err)
		} else {
			fmt.Printf("memory per idle VU (%d VUs sleeping) %.1f KB\n", idleVUs, perVU/1024)
		}
	}
	return latencyError(ctx, conns, cache, latency)
}

func printResult(r result) {
	if r.err != nil {
		fmt.Printf("%-8s error: %v\n", r.tool, r.err)
		return
	}
	p95 := "-"
	if r.p95 > 0 {
		p95 = fmtDur(r.p95)
	}
	fmt.Printf("%-8s %9.0f req/s   p95 %-9s p99 %-9s %s\n", r.tool, r.rps, p95, fmtDur(r.p99), r.note)
}

func fmtDur(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
