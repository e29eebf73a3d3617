package main

import (
	"context"
	"strconv"
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
		m, err := runK6Script(ctx, cache, k6ArrivalScript, "-e", "URL="+url, "-e", "RATE="+strconv.Itoa(rate),
			"-e", "VUS="+strconv.Itoa(vus), "-e", "DURATION="+d.String())
		if err != nil {
			return 0, 0, 0, err
		}
		dur := m["http_req_duration"]
		return dur["med"], dur["p(99)"], int(m["http_reqs"]["count"]), nil
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
