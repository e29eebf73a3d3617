package proxy

import (
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistryGetsProxyMetrics(t *testing.T) {
	reg := metrics.NewRegistry(time.Now())
	p, addrs := startProxy(t, Config{Service: "cart", Upstream: okUpstream(t).addr(), Registry: reg}, "frontend")
	c := newClient(t)
	for range 4 {
		get(t, c, "http://"+addrs["frontend"]+"/")
	}
	require.NoError(t, p.SetHTTPFault(ctxT(t), &HTTPFault{ErrorRate: 1, ErrorCode: 500}, time.Minute))
	get(t, c, "http://"+addrs["frontend"]+"/")
	edgeOf(p, "frontend") // wait for outcomes

	reqs := reg.Metric(metrics.ProxyRequests)
	ok := reqs.Aggregate(metrics.Tags{"caller": "frontend", "callee": "cart", "outcome": "2xx"})
	inj := reqs.Aggregate(metrics.Tags{"caller": "frontend", "outcome": "injected_error"})
	assert.Equal(t, 4.0, ok.Sum)
	assert.Equal(t, 1.0, inj.Sum)
	dur := reg.Metric(metrics.ProxyDuration).Aggregate(metrics.Tags{"caller": "frontend", "callee": "cart"})
	assert.Equal(t, uint64(5), dur.Count)

	reg2 := metrics.NewRegistry(time.Now())
	p.SetRegistry(reg2)
	require.NoError(t, p.SetHTTPFault(ctxT(t), nil, 0))
	get(t, c, "http://"+addrs["frontend"]+"/")
	edgeOf(p, "frontend")
	assert.Equal(t, 1.0, reg2.Metric(metrics.ProxyRequests).Aggregate(nil).Sum, "samples go to the new registry")
	assert.Equal(t, 4.0, reqs.Aggregate(metrics.Tags{"outcome": "2xx"}).Sum, "and no longer to the old one")
}
