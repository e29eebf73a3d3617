package proxy

import (
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// edgeCounter counts requests per caller and outcome, and mirrors them into
// the metric registry when there is one.
type edgeCounter struct {
	callee string
	reg    *metrics.Registry

	mu       sync.Mutex
	byCaller map[string]*edgeCount
	series   map[[2]string]*metrics.Series // caller, outcome → proxy_requests
	duration map[string]*metrics.Series    // caller → proxy_request_duration
}

type edgeCount struct {
	requests uint64
	outcomes map[string]uint64
}

func newEdgeCounter(callee string, reg *metrics.Registry) *edgeCounter {
	return &edgeCounter{callee: callee, reg: reg, byCaller: map[string]*edgeCount{},
		series: map[[2]string]*metrics.Series{}, duration: map[string]*metrics.Series{}}
}

// begin counts a request as it arrives, so a caller that got its answer
// always finds its call counted.
func (e *edgeCounter) begin(caller string) {
	e.mu.Lock()
	e.countLocked(caller).requests++
	e.mu.Unlock()
}

func (e *edgeCounter) countLocked(caller string) *edgeCount {
	c := e.byCaller[caller]
	if c == nil {
		c = &edgeCount{outcomes: map[string]uint64{}}
		e.byCaller[caller] = c
	}
	return c
}

// add counts one outcome; request says whether it also counts as a request
// (false when begin counted it already).
func (e *edgeCounter) add(caller, outcome string, request, delayed bool) {
	e.mu.Lock()
	c := e.countLocked(caller)
	if request {
		c.requests++
	}
	c.outcomes[outcome]++
	if delayed {
		c.outcomes[outcomeInjectedDelay]++
	}
	var s *metrics.Series
	if e.reg != nil {
		s = e.seriesLocked(caller, outcome)
	}
	e.mu.Unlock()
	if s != nil {
		s.Add(time.Now(), 1)
	}
}

// finish counts the outcome of a request begin counted and records its
// duration through the proxy, under one lock.
func (e *edgeCounter) finish(caller, outcome string, delayed bool, d time.Duration) {
	e.mu.Lock()
	c := e.countLocked(caller)
	c.outcomes[outcome]++
	if delayed {
		c.outcomes[outcomeInjectedDelay]++
	}
	if e.reg == nil {
		e.mu.Unlock()
		return
	}
	count := e.seriesLocked(caller, outcome)
	dur := e.duration[caller]
	if dur == nil {
		if m := e.reg.Metric(metrics.ProxyDuration); m != nil {
			dur = m.Series(metrics.Tags{"caller": caller, "callee": e.callee})
			e.duration[caller] = dur
		}
	}
	e.mu.Unlock()
	now := time.Now()
	if count != nil {
		count.Add(now, 1)
	}
	if dur != nil {
		dur.Add(now, float64(d)/float64(time.Millisecond))
	}
}

func (e *edgeCounter) seriesLocked(caller, outcome string) *metrics.Series {
	k := [2]string{caller, outcome}
	if s, ok := e.series[k]; ok {
		return s
	}
	m := e.reg.Metric(metrics.ProxyRequests)
	if m == nil {
		return nil
	}
	s := m.Series(metrics.Tags{"caller": caller, "callee": e.callee, "outcome": outcome})
	e.series[k] = s
	return s
}

// edges returns a copy of the counts, sorted by caller.
func (e *edgeCounter) edges() []Edge {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Edge, 0, len(e.byCaller))
	for caller, c := range e.byCaller {
		oc := make(map[string]uint64, len(c.outcomes))
		for k, v := range c.outcomes {
			oc[k] = v
		}
		out = append(out, Edge{Caller: caller, Callee: e.callee, Requests: c.requests, Outcomes: oc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Caller < out[j].Caller })
	return out
}

// statusOutcome names an HTTP status's class: "2xx", "5xx", ...
func statusOutcome(code int) string {
	if code < 100 || code > 599 {
		return "status_" + strconv.Itoa(code)
	}
	return statusClasses[code/100-1]
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// Edges returns the caller → this service counts since the proxy started.
func (p *Proxy) Edges() []Edge { return p.edges.edges() }

// SetRegistry sends proxy_requests and proxy_request_duration samples to
// reg from now on (nil stops them), e.g. the registry of each load run.
func (p *Proxy) SetRegistry(reg *metrics.Registry) {
	e := p.edges
	e.mu.Lock()
	e.reg = reg
	e.series = map[[2]string]*metrics.Series{}
	e.duration = map[string]*metrics.Series{}
	e.mu.Unlock()
}
