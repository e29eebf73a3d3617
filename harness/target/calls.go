package target

import (
	"fmt"
	"net"
	"slices"
	"strings"
)

// DefaultCallFormat is the value a caller gets when a Call names no
// Format: the callee's host:port.
const DefaultCallFormat = "{addr}"

// Call is one caller → callee edge as the caller sees it: the caller learns
// where Service is through its own environment variable Env, whose value is
// Format with the placeholders {addr} (host:port), {host} and {port}
// replaced by the address of the edge's fault proxy. Example:
//
//	Call{Service: "inventory", Env: "INVENTORY_URL", Format: "http://{addr}/v1"}
type Call struct {
	Service string // the callee
	Env     string // the caller's variable, e.g. "INVENTORY_URL"
	Format  string // e.g. "http://{addr}"; default DefaultCallFormat
	// Listen is where the edge's proxy listens (host:port on loopback),
	// for a caller that cannot be told a new address each run (an
	// external service configured once); default a free loopback port.
	Listen string
}

// Value is the variable's value for a callee reached at addr (host:port).
func (c Call) Value(addr string) string {
	f := c.Format
	if f == "" {
		f = DefaultCallFormat
	}
	return ExpandAddr(f, addr)
}

// Validate reports every problem with c.
func (c Call) Validate() error {
	var errs []string
	if c.Service == "" {
		errs = append(errs, "no callee")
	}
	if c.Env == "" {
		errs = append(errs, "no env var")
	} else if strings.ContainsAny(c.Env, "= \t\n") {
		errs = append(errs, fmt.Sprintf("env var %q: must not contain '=' or spaces", c.Env))
	}
	if c.Format != "" && !strings.Contains(c.Format, "{addr}") && !strings.Contains(c.Format, "{port}") {
		errs = append(errs, fmt.Sprintf("format %q: has neither {addr} nor {port}", c.Format))
	}
	if c.Listen != "" {
		if host, _, err := net.SplitHostPort(c.Listen); err != nil {
			errs = append(errs, fmt.Sprintf("listen %q: %v", c.Listen, err))
		} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			errs = append(errs, fmt.Sprintf("listen %q: must be a loopback IP and port", c.Listen))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("call %s via %s: %s", c.Service, c.Env, strings.Join(errs, "; "))
}

// ExpandAddr replaces {addr}, {host} and {port} in s with the parts of addr
// (host:port).
func ExpandAddr(s, addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	return strings.NewReplacer("{addr}", addr, "{host}", host, "{port}", port).Replace(s)
}

// AllCalls is every edge the service calls: its Deps (each as
// Call{Service: dep, Env: AddrEnv(dep), Format: "{addr}"}) then its Calls.
func (s Service) AllCalls() []Call {
	out := make([]Call, 0, len(s.Deps)+len(s.Calls))
	for _, d := range s.Deps {
		out = append(out, Call{Service: d, Env: AddrEnv(d), Format: DefaultCallFormat})
	}
	return append(out, s.Calls...)
}

// StartsAfter lists the services that must be ready before s starts: its
// callees, then its After, each once.
func (s Service) StartsAfter() []string {
	out := s.Callees()
	for _, a := range s.After {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Callees lists the services s calls, each once, in AllCalls order.
func (s Service) Callees() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range s.AllCalls() {
		if !seen[c.Service] {
			seen[c.Service] = true
			out = append(out, c.Service)
		}
	}
	return out
}
