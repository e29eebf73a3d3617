package entrypoint

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
)

// AgentTokenEnv holds the bearer token of the sidecar's control API.
const AgentTokenEnv = proxy.EnvAgentToken

// Agent runs `agent -service NAME -upstream HOST:PORT ...`: the fault
// proxy listening where callers expect the service, forwarding to the real
// one, with its control API (token from $GAMEDAY_AGENT_TOKEN), until ctx
// is cancelled.
func Agent(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	service := fs.String("service", "", "name of the service behind the proxy (required)")
	protocol := fs.String("protocol", string(proxy.HTTP), "http, grpc or tcp")
	listen := fs.String("listen", ":8080", "where callers connect")
	upstream := fs.String("upstream", "", "host:port of the real service (required)")
	control := fs.String("control", ":9090", "control API listen address")
	allow := fs.String("allow", "", "comma-separated upstream hosts allowed besides loopback (containers the run started)")
	var ports []proxy.AgentPort
	fs.Func("port", "another port of the service, LISTEN=UPSTREAM (e.g. :9100=api-real:9100), piped as TCP; repeatable", func(v string) error {
		l, u, ok := strings.Cut(v, "=")
		if !ok || l == "" || u == "" {
			return fmt.Errorf("want LISTEN=UPSTREAM, got %q", v)
		}
		ports = append(ports, proxy.AgentPort{Listen: l, Upstream: u})
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *service == "" || *upstream == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: agent -service NAME -upstream HOST:PORT [-protocol http|grpc|tcp] [-listen ADDR] [-control ADDR] [-allow HOSTS] [-port LISTEN=UPSTREAM ...]")
		fmt.Fprintf(stderr, "       the control API token is read from $%s\n", AgentTokenEnv)
		return ExitUsage
	}
	err := proxy.RunAgent(ctx, proxy.AgentConfig{
		Listen: *listen, Upstream: *upstream, Control: *control,
		Token: os.Getenv(AgentTokenEnv), Service: *service, Protocol: proxy.Protocol(*protocol),
		AllowHosts: splitHosts(*allow), Ports: ports,
		OnListen: func(addr, ctl string) {
			fmt.Fprintf(stdout, "agent: %s on %s -> %s, control on %s\n", *service, addr, *upstream, ctl)
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "agent: %v\n", err)
		return ExitError
	}
	return ExitOK
}

func splitHosts(s string) []string {
	var out []string
	for _, h := range strings.Split(s, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}
