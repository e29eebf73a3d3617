package entrypoint

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// Exit codes of Serve and Agent, as cmd/gameday's.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// PortEnv is where Serve listens (":$PORT"); DefaultPort when unset.
const (
	PortEnv     = "PORT"
	DefaultPort = "8080"
)

// Serve runs `serve SERVICE` for sys: the service listens on :$PORT with
// its spec's Env overridden by the process environment, until ctx is
// cancelled (SIGTERM). `serve -probe HOST:PORT` (or an http:// URL) only
// checks that something answers there and exits 0 or 1: the target's
// health check for non-HTTP services, since a FROM scratch image has no
// shell or nc to run one.
func Serve(ctx context.Context, sys target.System, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	probe := fs.String("probe", "", "only check that HOST:PORT (or an http:// URL) answers, then exit 0 or 1")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: serve SERVICE   (env: PORT, the service's settings, <DEP>_ADDR)")
		fmt.Fprintln(stderr, "       serve -probe HOST:PORT")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *probe != "" {
		if err := Probe(ctx, *probe); err != nil {
			fmt.Fprintf(stderr, "serve: probe %s: %v\n", *probe, err)
			return ExitError
		}
		return ExitOK
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return ExitUsage
	}
	svc, ok := sys.Service(fs.Arg(0))
	if !ok {
		fmt.Fprintf(stderr, "serve: system %s has no service %q\n", sys.Name, fs.Arg(0))
		return ExitUsage
	}
	port := os.Getenv(PortEnv)
	if port == "" {
		port = DefaultPort
	}
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "serve: %s listening on :%s\n", svc.Name, port)
	if err := svc.Run(ctx, ln, ServiceEnv(svc, os.Environ())); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "serve: %s: %v\n", svc.Name, err)
		return ExitError
	}
	return ExitOK
}

// ServiceEnv is a service's configuration: its spec's Env, overridden by
// environ (KEY=VALUE entries; the target put the spec's Env and each
// dependency's <DEP>_ADDR there).
func ServiceEnv(svc target.Service, environ []string) target.Env {
	env := target.Env{}
	for k, v := range svc.Env {
		env[k] = v
	}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// Probe connects to addr (host:port), or GETs it (an http:// URL, 200
// expected), within a second.
func Probe(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if strings.HasPrefix(addr, "http://") {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}
