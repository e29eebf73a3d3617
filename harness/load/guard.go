package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// ErrNotAllowed is wrapped by the error for a request to an address that
// is neither loopback nor in Options.AllowHosts. Names are judged by the
// addresses they resolve to: "localhost" pointing elsewhere is refused.
var ErrNotAllowed = netguard.ErrNotAllowed

// guard refuses traffic to anything but loopback and the allowed hosts.
type guard struct {
	g *netguard.Guard
	// checked caches the verdict per host name for the per-request check;
	// the dialer resolves again on every connection, so the cache can only
	// make a request fail early, never let one through.
	checked sync.Map // host -> error (nil: allowed)
}

func newGuard(hosts []string) *guard {
	return &guard{g: netguard.New(hosts...)}
}

func normalizeHost(h string) string { return netguard.Normalize(h) }

// check returns nil when host may receive traffic.
func (g *guard) check(host string) error {
	if v, ok := g.checked.Load(host); ok {
		err, _ := v.(error)
		return err
	}
	err := g.g.Check(context.Background(), host)
	if errors.Is(err, ErrNotAllowed) {
		err = fmt.Errorf("load: %w (add it to AllowHosts to override)", err)
	} else if err != nil {
		err = fmt.Errorf("load: %w", err)
	}
	g.checked.Store(host, err)
	return err
}

// dialer guards every connection, so redirects and proxies cannot leave
// the allowed set either.
func (g *guard) dialer(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	dial := g.g.DialContext(d)
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c}, nil
	}
}
