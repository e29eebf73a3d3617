package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fakeResolver answers from a table, as a poisoned /etc/hosts would.
type fakeResolver map[string][]string

func (f fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, s := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	return out, nil
}

func TestGuardJudgesResolvedAddresses(t *testing.T) {
	g := New("shop-frontend", "10.0.0.7").WithResolver(fakeResolver{
		"localhost":      {"127.0.0.1", "::1"},
		"evil.localhost": {"203.0.113.9"},
		"hijacked":       {"127.0.0.1", "198.51.100.1"},
		"shop-frontend":  {"172.18.0.5"},
		"sidecar":        {"10.0.0.7"},
	})
	ctx := context.Background()
	for host, allowed := range map[string]bool{
		"127.0.0.1":      true,
		"127.8.9.10":     true,
		"::1":            true,
		"[::1]":          true,
		"localhost":      true,
		"evil.localhost": false, // the name reads local, the address is not
		"hijacked":       false, // one routable address refuses the name
		"shop-frontend":  true,  // an allowed name, whatever it resolves to
		"sidecar":        true,  // resolves to an allowed IP
		"10.0.0.7":       true,
		"10.0.0.8":       false,
		"192.0.2.1":      false,
	} {
		err := g.Check(ctx, host)
		if allowed && err != nil {
			t.Errorf("Check(%s) = %v, want allowed", host, err)
		}
		if !allowed && !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Check(%s) = %v, want ErrNotAllowed", host, err)
		}
	}
	if err := g.Check(ctx, "nosuch"); err == nil || errors.Is(err, ErrNotAllowed) {
		t.Errorf("Check(nosuch) = %v, want a resolve error", err)
	}
}

func TestClientRefusesBeforeConnecting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	c := Client(2 * time.Second)
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("loopback request refused: %v", err)
	}
	resp.Body.Close()
	// TEST-NET-1: never routed, so a bug would hang rather than reach anyone.
	if _, err := c.Get("http://192.0.2.1:80/"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("request to 192.0.2.1 = %v, want ErrNotAllowed", err)
	}
	g := New().WithResolver(fakeResolver{"localhost": {"192.0.2.1"}})
	if _, err := g.Client(time.Second).Get("http://localhost:1/"); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("localhost resolving to 192.0.2.1 = %v, want ErrNotAllowed", err)
	}
}
