package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
)

// ErrUpstreamNotAllowed refuses an upstream that is neither loopback nor
// in Config.AllowHosts: the proxy obeys the traffic rule load obeys, and
// forwards only to loopback or to what the run itself started.
var ErrUpstreamNotAllowed = errors.New("upstream is not loopback or a host this run started")

// resolveTimeout bounds the lookup of an upstream's name in New.
const resolveTimeout = 5 * time.Second

// checkUpstream applies the traffic rule to the upstream host:port: the
// host is named in allow (containers or namespaces the run created, an
// explicit allowlist), or it is a loopback address, or it is a name whose
// every resolved address is loopback.
func checkUpstream(ctx context.Context, upstream string, allow []string) error {
	host, _, err := net.SplitHostPort(upstream)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", upstream, err)
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if slices.ContainsFunc(allow, func(a string) bool { return strings.EqualFold(strings.Trim(a, "[]"), host) }) {
		return nil
	}
	refuse := fmt.Errorf("upstream %q: %w (add it to AllowHosts if the run started it)", upstream, ErrUpstreamNotAllowed)
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() {
			return nil
		}
		return refuse
	}
	if host == "" {
		return refuse // ":8080" means every interface of some host
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return fmt.Errorf("upstream %q: %w", upstream, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return fmt.Errorf("upstream %q resolves to %s: %w (add it to AllowHosts if the run started it)",
				upstream, a.IP, ErrUpstreamNotAllowed)
		}
	}
	if len(addrs) == 0 {
		return refuse
	}
	return nil
}
