package proxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
)

// httpForwarder is the HTTP and gRPC half of the proxy: a reverse proxy that
// keeps the request as the caller sent it (Host, X-Forwarded-*, encodings),
// streams bodies as they come, passes upgrades and trailers, and speaks h2c
// to gRPC upstreams.
type httpForwarder struct {
	p  *Proxy
	rp *httputil.ReverseProxy
	// [direct|via toxiproxy][HTTP/1.1|h2c]
	transports [2][2]*http.Transport
}

type callerKey struct{}
type stateKey struct{}

// reqState carries what the reverse proxy saw back to the handler.
type reqState struct {
	resp *http.Response
	err  error
}

func newHTTPForwarder(p *Proxy) *httpForwarder {
	f := &httpForwarder{p: p}
	for tox := range 2 {
		for h2 := range 2 {
			f.transports[tox][h2] = f.transport(tox == 1, h2 == 1)
		}
	}
	f.rp = &httputil.ReverseProxy{
		Rewrite:   f.rewrite,
		Transport: roundTripFunc(f.roundTrip),
		// 0: bodies of known length are written in one go; streaming bodies
		// (unknown length: chunked, SSE, gRPC streams) flush on every write.
		FlushInterval:  0,
		ErrorLog:       discardLog,
		ModifyResponse: f.modifyResponse,
		ErrorHandler:   f.errorHandler,
	}
	return f
}

func (f *httpForwarder) transport(viaToxics, h2c bool) *http.Transport {
	d := &net.Dialer{Timeout: f.p.cfg.DialTimeout}
	t := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			addr := f.p.cfg.Upstream
			if viaToxics {
				var err error
				if addr, err = f.p.tox.dialAddr(); err != nil {
					return nil, err
				}
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true, // pass Accept-Encoding and bodies as they are
	}
	var protos http.Protocols
	if h2c {
		protos.SetUnencryptedHTTP2(true)
	} else {
		protos.SetHTTP1(true)
	}
	t.Protocols = &protos
	return t
}

func (f *httpForwarder) server() *http.Server {
	var protos http.Protocols
	protos.SetHTTP1(true)
	protos.SetUnencryptedHTTP2(true)
	return &http.Server{
		Handler:   f,
		Protocols: &protos,
		ErrorLog:  discardLog,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			switch tc := c.(type) {
			case *conn:
				return context.WithValue(ctx, callerKey{}, tc.caller)
			case *peekedConn:
				return context.WithValue(ctx, callerKey{}, tc.caller)
			}
			return ctx
		},
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func (f *httpForwarder) roundTrip(r *http.Request) (*http.Response, error) {
	tox, h2 := 0, 0
	if f.p.tox.active() {
		tox = 1
	}
	if f.p.cfg.Protocol == GRPC || isGRPC(r) {
		h2 = 1
	}
	return f.transports[tox][h2].RoundTrip(r)
}

func (f *httpForwarder) rewrite(pr *httputil.ProxyRequest) {
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = f.p.cfg.Upstream
	// Rewrite mode strips these from the outbound request; a transparent
	// proxy keeps what the caller sent.
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"} {
		if v, ok := pr.In.Header[h]; ok {
			pr.Out.Header[h] = v
		}
	}
}

func (f *httpForwarder) modifyResponse(resp *http.Response) error {
	if st, ok := resp.Request.Context().Value(stateKey{}).(*reqState); ok {
		st.resp = resp
	}
	if !f.p.waitUnpaused(resp.Request.Context()) {
		return context.Canceled
	}
	return nil
}

func (f *httpForwarder) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		st.err = err
	}
	if isGRPC(r) {
		writeGRPCStatus(w, int(codes.Unavailable), "gameday proxy: upstream unreachable: "+err.Error())
		return
	}
	// A dead upstream looks to the caller like a dead service: the
	// connection drops without an answer.
	panic(http.ErrAbortHandler)
}

func (f *httpForwarder) closeIdle() {
	for _, row := range f.transports {
		for _, t := range row {
			t.CloseIdleConnections()
		}
	}
}

func (f *httpForwarder) closeIdleToxic() {
	for _, t := range f.transports[1] {
		t.CloseIdleConnections()
	}
}

func isGRPC(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc")
}

// writeGRPCStatus answers a gRPC call with a trailers-only response: one
// HEADERS frame carrying the status and ending the stream.
func writeGRPCStatus(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/grpc")
	h.Set("Grpc-Status", strconv.Itoa(code))
	if msg != "" {
		h.Set("Grpc-Message", encodeGRPCMessage(msg))
	}
	w.WriteHeader(http.StatusOK)
}

// encodeGRPCMessage percent-encodes a grpc-message value as the gRPC
// HTTP/2 protocol requires.
func encodeGRPCMessage(msg string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c >= 0x20 && c <= 0x7e && c != '%' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
