package load

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

var withTrace = httptrace.WithClientTrace

// reqKey identifies one tag set of a VU's requests, so the hot path finds
// its series without building a tag map.
type reqKey struct {
	name, method, group, extra string
	status                     int
	expected                   bool
}

// httpSeries are the cached series of one request tag set.
type httpSeries struct {
	reqs, duration, blocked, connecting, tls, sending, waiting, receiving, failed, sent, received *metrics.Series
}

func (vu *VU) iterCtx() context.Context {
	if vu.ctx == nil {
		return context.Background()
	}
	return vu.ctx
}

// record writes one request's samples.
func (vu *VU) record(req *http.Request, cfg *requestConfig, res *Response, start, end time.Time, sent, received int64) {
	expected := res.Status != 0 && cfg.isExpected(res.Status)
	name := cfg.name
	if name == "" {
		name = req.URL.Path
		if name == "" {
			name = "/"
		}
	}
	k := reqKey{name: name, method: req.Method, group: vu.group, status: res.Status, expected: expected}
	if len(cfg.tags) > 0 || len(vu.Tags) > 0 {
		k.extra = strings.Join(cfg.tags, "\x00") + "\x01" + vu.userTagsKey()
	}
	s := vu.httpCache[k]
	if s == nil {
		s = vu.newHTTPSeries(k, cfg)
	}
	t := res.Timings
	if vu.firstReq {
		// open model: the user arrived at ScheduledAt, so every delay
		// before the request left (late start, in-flight slot, connection)
		// is part of its latency.
		vu.firstReq = false
		if lag := vu.iterStart.Sub(vu.ScheduledAt); lag > 0 {
			t.Duration += lag
		}
		if res.Status != 0 {
			t.Duration += t.Blocked
		}
		res.Timings.Duration = t.Duration
	}
	s.reqs.Add(end, 1)
	s.duration.Add(end, ms(t.Duration))
	s.blocked.Add(end, ms(t.Blocked))
	s.connecting.Add(end, ms(t.Connecting))
	s.tls.Add(end, ms(t.TLSHandshaking))
	s.sending.Add(end, ms(t.Sending))
	s.waiting.Add(end, ms(t.Waiting))
	s.receiving.Add(end, ms(t.Receiving))
	failed := 1.0
	if expected {
		failed = 0
	}
	s.failed.Add(end, failed)
	if sent > 0 {
		s.sent.Add(end, float64(sent))
	}
	if received > 0 {
		s.received.Add(end, float64(received))
	}
}

func (vu *VU) newHTTPSeries(k reqKey, cfg *requestConfig) *httpSeries {
	status := "0"
	if k.status != 0 {
		status = strconv.Itoa(k.status)
	}
	kv := append([]string{"name", k.name, "method", k.method, "status", status,
		"expected_response", strconv.FormatBool(k.expected)}, cfg.tags...)
	tags := vu.sampleTags(kv...)
	reg := vu.Metrics
	get := func(name string) *metrics.Series { return reg.Metric(name).Series(tags) }
	s := &httpSeries{
		reqs: get(metrics.HTTPReqs), duration: get(metrics.HTTPReqDuration),
		blocked: get(metrics.HTTPReqBlocked), connecting: get(metrics.HTTPReqConnecting),
		tls: get(metrics.HTTPReqTLSHandshaking), sending: get(metrics.HTTPReqSending),
		waiting: get(metrics.HTTPReqWaiting), receiving: get(metrics.HTTPReqReceiving),
		failed: get(metrics.HTTPReqFailed), sent: get(metrics.DataSent), received: get(metrics.DataReceived),
	}
	if vu.httpCache == nil {
		vu.httpCache = map[reqKey]*httpSeries{}
	}
	vu.httpCache[k] = s
	return s
}
