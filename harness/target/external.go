package target

import (
	"errors"
	"fmt"
	"net"
	"net/url"
)

// External is a service that is already running somewhere: gameday starts
// nothing, puts a fault proxy in front of it (for the harness's own
// traffic, and one per declared edge whose address the user configures in
// the caller) and sends traffic to it only when its host is loopback or
// listed in AllowHosts.
type External struct {
	// URL is where the service answers, e.g. "http://127.0.0.1:8080";
	// for a TCP service "tcp://host:port". The port is required unless the
	// scheme is http (80) or https (443).
	URL string
	// AllowHosts lets traffic go to a non-loopback host (exact names).
	AllowHosts []string
}

// Addr is the service's host:port.
func (e *External) Addr() (string, error) {
	u, err := url.Parse(e.URL)
	if err != nil {
		return "", fmt.Errorf("external url %q: %w", e.URL, err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("external url %q: no host", e.URL)
	}
	if u.Port() != "" {
		return u.Host, nil
	}
	switch u.Scheme {
	case "http":
		return net.JoinHostPort(u.Hostname(), "80"), nil
	case "https":
		return net.JoinHostPort(u.Hostname(), "443"), nil
	}
	return "", fmt.Errorf("external url %q: no port", e.URL)
}

// Validate reports every problem with e.
func (e *External) Validate() error {
	var errs []error
	if e.URL == "" {
		errs = append(errs, errors.New("no url"))
	} else if _, err := e.Addr(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Setting is an environment variable the user sets in an external caller
// so that its calls to Callee go through gameday's fault proxy for that
// edge (gameday cannot set it: it did not start the caller).
type Setting struct {
	Service string // the external caller
	Callee  string
	Env     string
	Value   string
}

// String reads like "orders: INVENTORY_URL=http://127.0.0.1:40123".
func (s Setting) String() string { return s.Service + ": " + s.Env + "=" + s.Value }
