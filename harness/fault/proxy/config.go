package proxy

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Protocol tells the proxy how to read the traffic it forwards. It has the
// same values as target.Protocol (proxy cannot import target: target
// imports proxy).
type Protocol string

// Protocols.
const (
	HTTP Protocol = "http" // HTTP/1.1 and h2c; HTTP faults apply
	GRPC Protocol = "grpc" // gRPC over h2c; gRPC faults apply
	TCP  Protocol = "tcp"  // opaque bytes; only TCP faults apply
)

// Caller names used when the caller is not known.
const (
	// ClientCaller is the caller of traffic the harness itself sends, and
	// of any connection whose caller cannot be told.
	ClientCaller = "client"
)

// Config configures a Proxy.
type Config struct {
	// Service is the name of the service behind the proxy (the callee).
	// Required.
	Service string
	// Protocol of the service. Default HTTP.
	Protocol Protocol
	// Upstream is the host:port of the real service. Required. It must be
	// loopback (a name counts when every address it resolves to is) or
	// named in AllowHosts: New refuses anything else.
	Upstream string
	// AllowHosts are upstream hosts allowed besides loopback: containers
	// or namespaces the run created, or an explicit allowlist.
	AllowHosts []string
	// Registry, when set, receives proxy_requests (a counter tagged caller,
	// callee, outcome) and proxy_request_duration (tagged caller, callee).
	Registry *metrics.Registry
	// CallerOf names the caller of a connection accepted by Serve(ln, "")
	// from its remote address. Default: the table set by SetCallers (by IP),
	// else ClientCaller.
	CallerOf func(remoteAddr string) string
	// DialTimeout bounds connecting to the upstream. Default 5s.
	DialTimeout time.Duration
}

// DefaultDialTimeout is Config.DialTimeout's default.
const DefaultDialTimeout = 5 * time.Second

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.Service == "" {
		errs = append(errs, errors.New("service name is required"))
	}
	switch c.Protocol {
	case "", HTTP, GRPC, TCP:
	default:
		errs = append(errs, fmt.Errorf("protocol %q: must be http, grpc or tcp", c.Protocol))
	}
	if _, _, err := net.SplitHostPort(c.Upstream); err != nil {
		errs = append(errs, fmt.Errorf("upstream %q: %w", c.Upstream, err))
	}
	if c.DialTimeout < 0 {
		errs = append(errs, fmt.Errorf("dial timeout %s: must not be negative", c.DialTimeout))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Protocol == "" {
		c.Protocol = HTTP
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	return c
}
