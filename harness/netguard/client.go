package netguard

import (
	"context"
	"net"
	"net/http"
	"time"
)

// Transport returns an HTTP transport whose every connection passes the
// guard, never through a proxy from the environment.
func (g *Guard) Transport() *http.Transport {
	return &http.Transport{
		Proxy:               nil, // a proxy would carry the traffic past the guard
		DialContext:         g.DialContext(&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}),
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
	}
}

// Client returns an HTTP client with the given overall timeout (0: none)
// whose traffic passes the guard.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: g.Transport()}
}

// loopback is the guard of the clients that only ever talk to loopback.
var loopback = New()

// Client returns an HTTP client with the given overall timeout (0: none)
// that only reaches loopback. Its transport is shared, so idle connections
// are reused across clients.
func Client(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: sharedTransport}
}

var sharedTransport = loopback.Transport()

// Dial dials addr (host:port) if the loopback-only guard allows it.
func Dial(network, addr string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return loopback.DialContext(&net.Dialer{Timeout: timeout})(ctx, network, addr)
}
