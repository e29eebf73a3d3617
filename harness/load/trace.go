package load

import (
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// Timings are one request's phases, as k6 defines them.
type Timings struct {
	Blocked        time.Duration // waiting for an in-flight slot and a connection
	Connecting     time.Duration // TCP connect (0 on a reused connection)
	TLSHandshaking time.Duration
	Sending        time.Duration
	Waiting        time.Duration // time to first byte after sending
	Receiving      time.Duration
	// Duration is Sending+Waiting+Receiving; for an open-model iteration's
	// first request it also counts the time since its scheduled start.
	Duration time.Duration
}

// countingConn counts a connection's bytes for data_sent/data_received.
type countingConn struct {
	net.Conn
	read, written atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

// tracer collects httptrace events of one request; pooled, with its
// ClientTrace bound once, so a request allocates no closures.
type tracer struct {
	gotConn, connectStart, connectDone, tlsStart, tlsDone, wrote, firstByte time.Time
	conn                                                                    *countingConn
	read0, written0                                                         int64
	ct                                                                      httptrace.ClientTrace
}

var tracers = sync.Pool{New: func() any {
	t := &tracer{}
	t.ct = httptrace.ClientTrace{
		GotConn:              t.onGotConn,
		ConnectStart:         t.onConnectStart,
		ConnectDone:          t.onConnectDone,
		TLSHandshakeStart:    t.onTLSStart,
		TLSHandshakeDone:     t.onTLSDone,
		WroteRequest:         t.onWrote,
		GotFirstResponseByte: t.onFirstByte,
	}
	return t
}}

func getTracer() *tracer {
	t := tracers.Get().(*tracer)
	ct := t.ct
	*t = tracer{ct: ct}
	return t
}

func (t *tracer) onGotConn(info httptrace.GotConnInfo) {
	t.gotConn = time.Now()
	if c, ok := info.Conn.(*countingConn); ok {
		t.conn = c
		t.read0, t.written0 = c.read.Load(), c.written.Load()
	}
}
func (t *tracer) onConnectStart(_, _ string) {
	if t.connectStart.IsZero() {
		t.connectStart = time.Now()
	}
}
func (t *tracer) onConnectDone(_, _ string, _ error)   { t.connectDone = time.Now() }
func (t *tracer) onTLSStart()                          { t.tlsStart = time.Now() }
func (t *tracer) onTLSDone(tls.ConnectionState, error) { t.tlsDone = time.Now() }
func (t *tracer) onWrote(httptrace.WroteRequestInfo)   { t.wrote = time.Now() }
func (t *tracer) onFirstByte()                         { t.firstByte = time.Now() }
func span(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a)
}

// timings computes the phases of a request started at start and fully
// read at end.
func (t *tracer) timings(start, end time.Time) Timings {
	tm := Timings{
		Blocked:        span(start, t.gotConn),
		Connecting:     span(t.connectStart, t.connectDone),
		TLSHandshaking: span(t.tlsStart, t.tlsDone),
		Sending:        span(t.gotConn, t.wrote),
		Waiting:        span(t.wrote, t.firstByte),
		Receiving:      span(t.firstByte, end),
	}
	if t.gotConn.IsZero() {
		tm.Duration = end.Sub(start) // failed before a connection: time to failure
	} else {
		tm.Duration = end.Sub(t.gotConn)
	}
	return tm
}

// bytes is what this request moved on its connection.
func (t *tracer) bytes() (sent, received int64) {
	if t.conn == nil {
		return 0, 0
	}
	return t.conn.written.Load() - t.written0, t.conn.read.Load() - t.read0
}
