package embedded

import (
	"errors"
	"fmt"
	"net"

	"github.com/gameday-dev/gameday/harness/target"
)

// Settings lists what to configure in external callers, in system order.
func (r *Running) Settings() []target.Setting { return append([]target.Setting(nil), r.settings...) }

// ErrNotAllowed is wrapped by the error for an external service whose
// host is neither loopback nor allowed.
var ErrNotAllowed = errors.New("traffic goes only to loopback or an allowed host")

// allowed applies the traffic rule to an external service's address.
func allowed(addr string, hosts []string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	for _, h := range hosts {
		if h == host {
			return nil
		}
	}
	return fmt.Errorf("external host %s: %w (allow it with system.AllowHosts(%q))", host, ErrNotAllowed, host)
}
