package main

import (
	"context"
	"strconv"
	"time"
)

// The peers' latency error against the same fixed-delay server at the
// same request rate: what this machine's loopback and scheduler noise
// costs any tool, next to gameday's numbers.

// closedVUs is the closed model's concurrency: 10 VUs looping on a 50 ms
// endpoint make the open model's 200 requests/s.
const closedVUs = 10

// peerLatency returns p50 and p99 in milliseconds and the request count.
type peerLatency func(ctx context.Context, url string, rate, vus int, d time.Duration) (p50, p99 float64, n int, err error)

// latencyPeer is one peer of the latency comparison and its load model.
type latencyPeer struct {
	name, model string
	measure     peerLatency
}

func latencyPeers(cache string) []latencyPeer {
	return []latencyPeer{
		{"vegeta", "constant arrival rate", vegetaLatency(cache)},
		{"hey", "10 workers × rate/10 per second", heyLatency},
		{"wrk", "10 looping connections", wrkLatencyRun},
	}
}

func vegetaLatency(cache string) peerLatency {
	return func(ctx context.Context, url string, rate, vus int, d time.Duration) (float64, float64, int, error) {
		rep, err := runVegetaAttack(ctx, cache, url, "-rate="+strconv.Itoa(rate)+"/s",
			"-workers="+strconv.Itoa(vus), "-duration="+d.String())
		if err != nil {
			return 0, 0, 0, err
		}
		return float64(rep.Latencies.P50) / 1e6, float64(rep.Latencies.P99) / 1e6, int(rep.Requests), nil
	}
}

// heyLatency paces each of closedVUs workers at rate/closedVUs per second.
func heyLatency(ctx context.Context, url string, rate, _ int, d time.Duration) (float64, float64, int, error) {
	rep, err := runHeyCmd(ctx, url, closedVUs, max(1, rate/closedVUs), d)
	if err != nil {
		return 0, 0, 0, err
	}
	return ms(rep.p50), ms(rep.p99), rep.requests, nil
}

// wrkLatencyRun loops closedVUs connections (Debian's wrk has no rate
// option): on a 50 ms endpoint that is the same 200 requests/s.
func wrkLatencyRun(ctx context.Context, url string, _, _ int, d time.Duration) (float64, float64, int, error) {
	rep, err := runWrkCmd(ctx, url, closedVUs, d)
	if err != nil {
		return 0, 0, 0, err
	}
	return ms(rep.p50), ms(rep.p99), rep.requests, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
