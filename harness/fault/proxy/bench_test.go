package proxy

import (
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
)

// benchPaths serves one upstream and three ways to reach it: directly,
// through a gameday proxy, and through a bare Toxiproxy proxy (no toxics).
func benchPaths(b *testing.B) (direct, viaProxy, viaToxiproxy string) {
	b.Helper()
	body := make([]byte, 512)
	u := newUpstream(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }))
	_, addrs := startProxy(b, Config{Service: "svc", Upstream: u.addr()}, "bench")
	tp := toxiproxy.NewProxy(toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()),
		"bench", "127.0.0.1:0", u.addr())
	if err := tp.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tp.Stop)
	return "http://" + u.addr() + "/", "http://" + addrs["bench"] + "/", "http://" + tp.Listen + "/"
}

func benchGet(b *testing.B, c *http.Client, url string) {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

// BenchmarkHopLatency interleaves sequential keep-alive requests over the
// three paths and reports each path's p50/p99 and what the gameday proxy
// adds per hop over a direct call, and its latency relative to Toxiproxy.
func BenchmarkHopLatency(b *testing.B) {
	direct, viaProxy, viaTox := benchPaths(b)
	c := newClient(b)
	urls := []string{direct, viaProxy, viaTox}
	lat := make([][]time.Duration, 3)
	for _, u := range urls { // warm the pools
		benchGet(b, c, u)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, u := range urls {
			start := time.Now()
			benchGet(b, c, u)
			lat[j] = append(lat[j], time.Since(start))
		}
	}
	b.StopTimer()
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	p50 := func(j int) time.Duration { return quantile(lat[j], 0.50) }
	p99 := func(j int) time.Duration { return quantile(lat[j], 0.99) }
	b.ReportMetric(us(p50(0)), "direct-p50-µs")
	b.ReportMetric(us(p50(1)), "proxy-p50-µs")
	b.ReportMetric(us(p50(2)), "toxiproxy-p50-µs")
	b.ReportMetric(us(p50(1)-p50(0)), "added-p50-µs")
	b.ReportMetric(us(p99(1)-p99(0)), "added-p99-µs")
	b.ReportMetric(float64(p50(1))/float64(p50(2)), "proxy/toxiproxy-p50")
}

// BenchmarkHopThroughput runs b.N requests over each path with 16
// concurrent keep-alive clients and reports requests per second and the
// gameday proxy's throughput relative to Toxiproxy's and to direct calls.
func BenchmarkHopThroughput(b *testing.B) {
	direct, viaProxy, viaTox := benchPaths(b)
	c := newClient(b)
	const workers = 16
	run := func(url string) float64 {
		var wg sync.WaitGroup
		next := make(chan struct{})
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range next {
					benchGet(b, c, url)
				}
			}()
		}
		start := time.Now()
		for i := 0; i < b.N; i++ {
			next <- struct{}{}
		}
		close(next)
		wg.Wait()
		return float64(b.N) / time.Since(start).Seconds()
	}
	for _, u := range []string{direct, viaProxy, viaTox} {
		run(u) // warm up pools
	}
	b.ResetTimer()
	d, p, t := run(direct), run(viaProxy), run(viaTox)
	b.StopTimer()
	b.ReportMetric(d, "direct-req/s")
	b.ReportMetric(p, "proxy-req/s")
	b.ReportMetric(t, "toxiproxy-req/s")
	b.ReportMetric(p/t, "proxy/toxiproxy-throughput")
	b.ReportMetric(p/d, "proxy/direct-throughput")
}

// BenchmarkTCPPipe compares raw TCP echo round trips through the TCP-mode
// proxy (which always flows through Toxiproxy) with Toxiproxy alone.
func BenchmarkTCPPipe(b *testing.B) {
	echo := echoServer(b)
	_, addrs := startProxy(b, Config{Service: "kafka", Protocol: TCP, Upstream: echo}, "bench")
	tp := toxiproxy.NewProxy(toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()),
		"bench", "127.0.0.1:0", echo)
	if err := tp.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tp.Stop)
	rtt := func(addr string) time.Duration {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		buf := make([]byte, 64)
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := c.Write(buf); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(c, buf); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start) / time.Duration(b.N)
	}
	b.ResetTimer()
	d, p, t := rtt(echo), rtt(addrs["bench"]), rtt(tp.Listen)
	b.StopTimer()
	b.ReportMetric(float64(d)/1e3, "direct-rtt-µs")
	b.ReportMetric(float64(p)/1e3, "proxy-rtt-µs")
	b.ReportMetric(float64(t)/1e3, "toxiproxy-rtt-µs")
	b.ReportMetric(float64(p)/float64(t), "proxy/toxiproxy-rtt")
}

// BenchmarkHopAt1000rps sends b.N requests at 1,000 per second (open
// model: each starts on schedule) over each path and reports the p50 and
// p99 the gameday proxy adds per hop over direct calls, next to Toxiproxy's.
func BenchmarkHopAt1000rps(b *testing.B) {
	direct, viaProxy, viaTox := benchPaths(b)
	c := newClient(b)
	paced := func(url string) []time.Duration {
		lat := make([]time.Duration, b.N)
		var wg sync.WaitGroup
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := 0; i < b.N; i++ {
			<-tick.C
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				benchGet(b, c, url)
				lat[i] = time.Since(start)
			}()
		}
		wg.Wait()
		return lat
	}
	for _, u := range []string{direct, viaProxy, viaTox} {
		benchGet(b, c, u)
	}
	b.ResetTimer()
	d, p, t := paced(direct), paced(viaProxy), paced(viaTox)
	b.StopTimer()
	us := func(x time.Duration) float64 { return float64(x) / float64(time.Microsecond) }
	b.ReportMetric(us(quantile(p, 0.5)-quantile(d, 0.5)), "proxy-added-p50-µs")
	b.ReportMetric(us(quantile(p, 0.99)-quantile(d, 0.99)), "proxy-added-p99-µs")
	b.ReportMetric(us(quantile(t, 0.5)-quantile(d, 0.5)), "toxiproxy-added-p50-µs")
	b.ReportMetric(us(quantile(t, 0.99)-quantile(d, 0.99)), "toxiproxy-added-p99-µs")
}
