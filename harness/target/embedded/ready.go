package embedded

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gameday-dev/gameday/harness/netguard"
	"github.com/gameday-dev/gameday/harness/target"
)

// readyPoll is how often a service's readiness is checked.
const readyPoll = 5 * time.Millisecond

// waitReady returns when s answers its Health path with 200 (or, without
// one, once a func service calls Accept, or a process or external service
// accepts a TCP connection), or explains why it never did.
func (r *Running) waitReady(ctx context.Context, s *service) error {
	s.mu.Lock()
	var accepting chan struct{}
	if fi, ok := s.inst.(*funcInstance); ok && s.spec.Run != nil {
		accepting = fi.ln.accepting
	}
	s.mu.Unlock()
	var client *http.Client
	if s.spec.Health != "" {
		client = healthClient(s.spec.Protocol, s.addr)
		defer client.CloseIdleConnections()
	}
	begin := time.Now()
	var last error
	for {
		if exited, err := s.exited(); exited {
			return errNeverReady(s.spec.Name, true, err, nil)
		}
		var err error
		switch {
		case client != nil:
			err = probe(ctx, client, s.addr, s.spec.Health)
		case accepting != nil:
			select {
			case <-accepting:
			default:
				err = errNotReady
			}
		default:
			err = dialProbe(ctx, s.addr)
		}
		if err == nil {
			if s.spec.Run == nil {
				r.cfg.logf("gameday: %s: ready on %s after %s", s.spec.Name, s.addr, time.Since(begin).Round(time.Millisecond))
			}
			return nil
		}
		if ctx.Err() == nil || last == nil {
			last = err // keep the last answer, not the deadline that cut the probe
		}
		select {
		case <-ctx.Done():
			if exited, err := s.exited(); exited {
				return errNeverReady(s.spec.Name, true, err, nil)
			}
			return errNeverReady(s.spec.Name, false, nil, last)
		case <-time.After(readyPoll):
		}
	}
}

// dialProbe succeeds once addr — loopback, or an address in a namespace
// the run created — accepts a TCP connection.
func dialProbe(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := netguard.New(addr).DialContext(&net.Dialer{})(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

func probe(ctx context.Context, c *http.Client, addr, path string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return nil
}

// healthClient speaks h2c to gRPC services (which serve no HTTP/1.1). It
// reaches loopback and addr, the address the run gave the service (in a
// network namespace of its own for a program on a hard-coded port).
func healthClient(p target.Protocol, addr string) *http.Client {
	t := &http.Transport{DialContext: netguard.New(addr).DialContext(&net.Dialer{Timeout: time.Second}),
		TLSClientConfig: &tls.Config{}, DisableKeepAlives: p != target.GRPC}
	if p == target.GRPC {
		var protos http.Protocols
		protos.SetUnencryptedHTTP2(true)
		t.Protocols = &protos
	}
	return &http.Client{Transport: t}
}
