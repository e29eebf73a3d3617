package load

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/internal/fixedhttp"
)

// rawServer answers every request on a connection with a fixed response,
// parsing as little as possible, so a benchmark measures the client.
func rawServer(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go fixedhttp.Serve(ln)
	return "http://" + ln.Addr().String() + "/bench"
}

func benchmarkGet(b *testing.B, standard bool) {
	url := rawServer(b)
	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	res, err := RunLoad(context.Background(), Options{StandardTransport: standard, Scenarios: Scenarios{
		"b": SharedIterations{VUs: 8, Iterations: max(n, 8), MaxDuration: time.Minute,
			Exec: func(ctx context.Context, vu *VU) error {
				_, err := vu.HTTP.Get(ctx, url, DiscardBody())
				return err
			}}}})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if f := res.Registry.Metric("http_req_failed").Aggregate(nil); f.Trues > 0 {
		b.Fatalf("%d failed requests", f.Trues)
	}
}

// BenchmarkGetLean is one instrumented GET per op on VU-owned connections.
func BenchmarkGetLean(b *testing.B) { benchmarkGet(b, false) }

// BenchmarkGetStandard is the same through net/http's Transport.
func BenchmarkGetStandard(b *testing.B) { benchmarkGet(b, true) }
