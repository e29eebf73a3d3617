package proxy

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fire sends n GETs with the given concurrency and returns each latency and
// status (0 on a transport error).
func fire(t *testing.T, c *http.Client, url string, n, concurrency int) ([]time.Duration, []int) {
	t.Helper()
	lat, codes := make([]time.Duration, n), make([]int, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				start := time.Now()
				resp, err := c.Get(url)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					codes[i] = resp.StatusCode
				}
				lat[i] = time.Since(start)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat, codes
}

func meanStd(ds []time.Duration) (mean, std float64) {
	for _, d := range ds {
		mean += float64(d)
	}
	mean /= float64(len(ds))
	for _, d := range ds {
		std += (float64(d) - mean) * (float64(d) - mean)
	}
	return mean, math.Sqrt(std / float64(len(ds)))
}

func okUpstream(t *testing.T) *upstream {
	return newUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
}

// The delays the proxy draws and applies to real requests follow the asked
// distribution. The statistics are taken on the drawn delays, because
// end-to-end latency on a shared, overloaded machine adds scheduling noise
// that has nothing to do with the proxy; end to end, every request must
// take at least its drawn delay.
func TestHTTPDelayDistribution(t *testing.T) {
	const avg, variation, n = 200 * time.Millisecond, 100 * time.Millisecond, 2000
	const concurrency = 200 // ~2s in all
	p, err := New(Config{Service: "catalog", Upstream: okUpstream(t).addr()})
	require.NoError(t, err)
	var mu sync.Mutex
	drawn := map[string]time.Duration{}
	p.planHook = func(r *http.Request, pl plan) {
		mu.Lock()
		drawn[r.URL.RawQuery] = pl.delay
		mu.Unlock()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = p.Serve(ln, "a") }()
	t.Cleanup(func() { _ = p.Close() })

	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{AverageDelay: avg, DelayVariation: variation}, time.Minute))
	lat, codes := fireIndexed(t, newClient(t), "http://"+ln.Addr().String()+"/p", n, concurrency)
	delays := make([]time.Duration, 0, n)
	for i, c := range codes {
		require.Equal(t, http.StatusOK, c)
		d, ok := drawn[fmt.Sprint("i=", i)]
		require.True(t, ok, "request %d was planned", i)
		require.GreaterOrEqual(t, lat[i], d, "request %d took at least its delay", i)
		delays = append(delays, d)
	}
	mean, std := meanStd(delays)
	wantStd := float64(variation) / math.Sqrt(3) // uniform on [avg-var, avg+var]
	e2eMean, e2eStd := meanStd(lat)
	t.Logf("drawn: mean %v (want %v), stddev %v (want %v); end to end: mean %v, stddev %v",
		time.Duration(mean), avg, time.Duration(std), time.Duration(wantStd), time.Duration(e2eMean), time.Duration(e2eStd))
	assert.InDelta(t, float64(avg), mean, 0.02*float64(avg), "mean within 2%%")
	assert.InDelta(t, wantStd, std, 0.05*wantStd, "stddev within 5%%")
	e := edgeOf(p, "a")
	assert.Equal(t, uint64(n), e.Outcomes["injected_delay"])
	assert.Equal(t, uint64(n), e.Outcomes["2xx"])
}

// fireIndexed is fire with "?i=N" on each request.
func fireIndexed(t *testing.T, c *http.Client, url string, n, concurrency int) ([]time.Duration, []int) {
	t.Helper()
	lat, codes := make([]time.Duration, n), make([]int, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				start := time.Now()
				resp, err := c.Get(fmt.Sprintf("%s?i=%d", url, i))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					codes[i] = resp.StatusCode
				}
				lat[i] = time.Since(start)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return lat, codes
}

func TestDrawDelayUniform(t *testing.T) {
	const avg, variation, n = 900 * time.Millisecond, 150 * time.Millisecond, 200000
	ds := make([]time.Duration, n)
	for i := range ds {
		ds[i] = drawDelay(avg, variation)
		require.True(t, ds[i] >= avg-variation && ds[i] <= avg+variation)
	}
	mean, std := meanStd(ds)
	assert.InDelta(t, float64(avg), mean, 0.002*float64(avg))
	assert.InDelta(t, float64(variation)/math.Sqrt(3), std, 0.01*float64(variation)/math.Sqrt(3))
}

func TestHTTPErrorRate(t *testing.T) {
	const rate, n = 0.25, 2000
	p, addrs := startProxy(t, Config{Service: "cart", Upstream: okUpstream(t).addr()}, "frontend")
	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{ErrorRate: rate, ErrorCode: 503, ErrorBody: "injected"}, time.Minute))
	_, codes := fire(t, newClient(t), "http://"+addrs["frontend"]+"/cart", n, 50)
	failed := 0
	for _, c := range codes {
		switch c {
		case 503:
			failed++
		case 200:
		default:
			t.Fatalf("unexpected status %d", c)
		}
	}
	got := float64(failed) / n
	t.Logf("error rate %.4f (want %.2f)", got, rate)
	assert.InDelta(t, rate, got, 0.03)
	e := edgeOf(p, "frontend")
	assert.Equal(t, uint64(failed), e.Outcomes["injected_error"])
	assert.Equal(t, uint64(n-failed), e.Outcomes["2xx"])
	assert.Equal(t, uint64(n), e.Requests)
}

func TestHTTPFaultBodyExcludeAndClear(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "ad", Upstream: okUpstream(t).addr()}, "a")
	c := newClient(t)
	ctx := ctxT(t)
	require.NoError(t, p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 500, ErrorBody: "boom",
		Exclude: []string{"/health"}}, time.Minute))
	code, body := get(t, c, "http://"+addrs["a"]+"/ads")
	assert.Equal(t, 500, code)
	assert.Equal(t, "boom", body)
	code, body = get(t, c, "http://"+addrs["a"]+"/health")
	assert.Equal(t, 200, code, "excluded path passes")
	assert.Equal(t, "ok", body)
	require.NoError(t, p.SetHTTPFault(ctx, nil, 0))
	code, _ = get(t, c, "http://"+addrs["a"]+"/ads")
	assert.Equal(t, 200, code)
}

func TestFaultTTLExpires(t *testing.T) {
	p, addrs := startProxy(t, Config{Service: "ad", Upstream: okUpstream(t).addr()}, "a")
	c := newClient(t)
	ctx := ctxT(t)
	require.NoError(t, p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 502}, 150*time.Millisecond))
	code, _ := get(t, c, "http://"+addrs["a"]+"/")
	assert.Equal(t, 502, code)
	time.Sleep(300 * time.Millisecond)
	code, _ = get(t, c, "http://"+addrs["a"]+"/")
	assert.Equal(t, 200, code, "the fault clears itself after its ttl with nobody calling")

	// A replaced fault's timer must not clear its successor.
	require.NoError(t, p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 502}, 100*time.Millisecond))
	require.NoError(t, p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 504}, time.Minute))
	time.Sleep(200 * time.Millisecond)
	code, _ = get(t, c, "http://"+addrs["a"]+"/")
	assert.Equal(t, 504, code)

	assert.Error(t, p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 500}, 0), "ttl is required")
}

func TestFaultValidate(t *testing.T) {
	bad := &HTTPFault{AverageDelay: time.Second, DelayVariation: 2 * time.Second, ErrorRate: 1.5}
	err := bad.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "delay variation")
	assert.Contains(t, err.Error(), "error rate")
	assert.Contains(t, err.Error(), "error code")
	assert.NoError(t, (&HTTPFault{AverageDelay: time.Second, DelayVariation: time.Second, ErrorRate: 0.1, ErrorCode: 503}).Validate())
	assert.Error(t, (&GRPCFault{ErrorRate: 0.5}).Validate(), "an error rate needs a status code")
	assert.Error(t, (&GRPCFault{ErrorRate: 0.5, StatusCode: 0}).Validate(), "OK is not an error")
	assert.Error(t, (&GRPCFault{StatusCode: 99}).Validate())
	assert.NoError(t, (&GRPCFault{ErrorRate: 0.5, StatusCode: 14}).Validate())
	assert.Error(t, (&kind.Latency{}).Validate())
	assert.NoError(t, (&kind.Latency{Latency: time.Second, Jitter: time.Millisecond}).Validate())
}

func TestFaultOfAnotherProtocolIsRefused(t *testing.T) {
	ctx := ctxT(t)
	cases := []struct {
		proto Protocol
		set   func(p *Proxy) error
		want  string
	}{
		{HTTP, func(p *Proxy) error {
			return p.SetGRPCFault(ctx, &GRPCFault{ErrorRate: 1, StatusCode: 14}, time.Minute)
		},
			"grpc fault for svc: svc speaks http"},
		{GRPC, func(p *Proxy) error {
			return p.SetHTTPFault(ctx, &HTTPFault{ErrorRate: 1, ErrorCode: 503}, time.Minute)
		},
			"http fault for svc: svc speaks grpc"},
		{TCP, func(p *Proxy) error { return p.SetHTTPFault(ctx, &HTTPFault{AverageDelay: time.Second}, time.Minute) },
			"http fault for svc: svc speaks tcp"},
	}
	for _, tc := range cases {
		p, err := New(Config{Service: "svc", Protocol: tc.proto, Upstream: "127.0.0.1:1"})
		require.NoError(t, err)
		err = tc.set(p)
		assert.ErrorIs(t, err, ErrProtocolMismatch)
		assert.ErrorContains(t, err, tc.want)
		assert.Nil(t, p.httpFault.Load(), "nothing injected")
		assert.Nil(t, p.grpcFault.Load(), "nothing injected")
		require.NoError(t, p.Close())
	}
}

// TestEveryProxyKindFromTheTable applies the example of every HTTP, gRPC
// and TCP kind in the fault/kind table: the proxy takes the table's kinds
// as they are, with nothing to add for a new one.
func TestEveryProxyKindFromTheTable(t *testing.T) {
	ctx := ctxT(t)
	proxies := map[kind.Layer]Protocol{kind.LayerHTTP: HTTP, kind.LayerGRPC: GRPC, kind.LayerTCP: TCP}
	n := 0
	for _, d := range kind.Defs() {
		proto, ok := proxies[d.Layer]
		if !ok {
			continue
		}
		f, err := kind.Parse(d.Name, d.Example)
		require.NoError(t, err)
		p, err := New(Config{Service: "svc", Protocol: proto, Upstream: "127.0.0.1:1"})
		require.NoError(t, err)
		switch f := f.(type) {
		case kind.HTTP:
			require.NoError(t, p.SetHTTPFault(ctx, &f, time.Minute), d.Name)
			assert.NotNil(t, p.httpFault.Load())
		case kind.GRPC:
			require.NoError(t, p.SetGRPCFault(ctx, &f, time.Minute), d.Name)
			assert.NotNil(t, p.grpcFault.Load())
		case kind.TCP:
			require.NoError(t, p.AddToxic(ctx, f, time.Minute), d.Name)
			assert.True(t, p.tox.active(), d.Name)
			require.NoError(t, p.RemoveToxics(ctx))
			assert.False(t, p.tox.active(), d.Name)
		default:
			t.Fatalf("%s: layer %s but type %T", d.Name, d.Layer, f)
		}
		require.NoError(t, p.Close())
		n++
	}
	assert.GreaterOrEqual(t, n, 10)
}
