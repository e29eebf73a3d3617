package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// AgentConfig configures RunAgent: the fault-proxy sidecar of one service.
type AgentConfig struct {
	// Listen is where callers connect (the service's port on the sidecar,
	// e.g. ":8080"). Required.
	Listen string
	// Upstream is the real service's host:port. Required.
	Upstream string
	// Control is where the control API listens (e.g. ":9901"). Required.
	Control string
	// Token is the control API's bearer token. Required.
	Token string
	// Service is the name of the service behind the sidecar. Required.
	Service string
	// Protocol of the service. Default HTTP.
	Protocol Protocol
	// AllowHosts are upstream hosts allowed besides loopback (see
	// Config.AllowHosts).
	AllowHosts []string
	// Ports are the service's other ports callers use, each served on its
	// own listener and piped as raw TCP (see Proxy.ServePort).
	Ports []AgentPort
	// OnListen, when set, is called once both listeners are bound, with
	// their addresses (useful with ":0" ports).
	OnListen func(proxyAddr, controlAddr string)
}

// AgentPort is another port of the service: where callers connect and
// where it is forwarded.
type AgentPort struct {
	Listen, Upstream string
}

// Environment variables AgentConfigFromEnv reads.
const (
	EnvAgentListen   = "GAMEDAY_AGENT_LISTEN"
	EnvAgentUpstream = "GAMEDAY_AGENT_UPSTREAM"
	EnvAgentControl  = "GAMEDAY_AGENT_CONTROL"
	EnvAgentToken    = "GAMEDAY_AGENT_TOKEN"
	EnvAgentService  = "GAMEDAY_AGENT_SERVICE"
	EnvAgentProtocol = "GAMEDAY_AGENT_PROTOCOL"
	EnvAgentAllow    = "GAMEDAY_AGENT_ALLOW" // comma-separated AllowHosts
)

// AgentConfigFromEnv reads an AgentConfig from the GAMEDAY_AGENT_*
// variables through getenv (os.Getenv in the container).
func AgentConfigFromEnv(getenv func(string) string) (AgentConfig, error) {
	cfg := AgentConfig{
		Listen:   getenv(EnvAgentListen),
		Upstream: getenv(EnvAgentUpstream),
		Control:  getenv(EnvAgentControl),
		Token:    getenv(EnvAgentToken),
		Service:  getenv(EnvAgentService),
		Protocol: Protocol(getenv(EnvAgentProtocol)),
	}
	for _, h := range strings.Split(getenv(EnvAgentAllow), ",") {
		if h = strings.TrimSpace(h); h != "" {
			cfg.AllowHosts = append(cfg.AllowHosts, h)
		}
	}
	return cfg, cfg.Validate()
}

// Validate reports every problem with c.
func (c AgentConfig) Validate() error {
	var errs []error
	for _, f := range []struct{ name, v string }{{"listen", c.Listen}, {"control", c.Control}} {
		if _, _, err := net.SplitHostPort(f.v); err != nil {
			errs = append(errs, fmt.Errorf("%s address %q: %w", f.name, f.v, err))
		}
	}
	for _, pt := range c.Ports {
		if _, _, err := net.SplitHostPort(pt.Listen); err != nil {
			errs = append(errs, fmt.Errorf("port listen address %q: %w", pt.Listen, err))
		}
		if _, _, err := net.SplitHostPort(pt.Upstream); err != nil {
			errs = append(errs, fmt.Errorf("port upstream %q: %w", pt.Upstream, err))
		}
	}
	if c.Token == "" {
		errs = append(errs, errors.New("token is required: the control API is never open"))
	}
	if err := (Config{Service: c.Service, Protocol: c.Protocol, Upstream: c.Upstream}).Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// RunAgent runs a sidecar fault proxy and its control API until ctx ends,
// then closes everything and returns nil (or the error that stopped it).
func RunAgent(ctx context.Context, cfg AgentConfig) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("agent config: %w", err)
	}
	p, err := New(Config{Service: cfg.Service, Protocol: cfg.Protocol, Upstream: cfg.Upstream, AllowHosts: cfg.AllowHosts})
	if err != nil {
		return err
	}
	defer p.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("agent listen: %w", err)
	}
	cln, err := net.Listen("tcp", cfg.Control)
	if err != nil {
		ln.Close()
		return fmt.Errorf("agent control listen: %w", err)
	}
	var extra []net.Listener
	for _, pt := range cfg.Ports {
		l, err := net.Listen("tcp", pt.Listen)
		if err != nil {
			for _, x := range append(extra, ln, cln) {
				x.Close()
			}
			return fmt.Errorf("agent listen for port %s: %w", pt.Listen, err)
		}
		extra = append(extra, l)
	}
	ctl := &http.Server{Handler: ControlHandler(p, cfg.Token), ReadHeaderTimeout: 10 * time.Second, ErrorLog: discardLog}
	if cfg.OnListen != nil {
		cfg.OnListen(ln.Addr().String(), cln.Addr().String())
	}
	errc := make(chan error, 2+len(extra))
	go func() { errc <- p.Serve(ln, "") }()
	for i, l := range extra {
		go func() { errc <- p.ServePort(l, "", cfg.Ports[i].Upstream) }()
	}
	go func() {
		if err := ctl.Serve(cln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("agent control: %w", err)
			return
		}
		errc <- nil
	}()
	var first error
	received := 0
	select {
	case <-ctx.Done():
	case first = <-errc:
		received++
	}
	_ = ctl.Close()
	_ = p.Close()
	for ; received < 2+len(extra); received++ {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}
