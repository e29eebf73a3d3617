package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/session"
	"github.com/gameday-dev/gameday/harness/target"
)

func init() {
	register(command{name: "demo", summary: "run the demo shop until Ctrl-C, printing each service's URL", run: runDemo})
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tgt := fs.String("target", "embedded", "where to run it: embedded, docker or auto")
	smoke := fs.Bool("smoke", false, "run a short smoke journey (home, product, cart, checkout), print it, and stop")
	flagFile := fs.String("flags", "", "serve this flagd flag `FILE` (e.g. upstream's demo.flagd.json), hot-reloaded on change")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday demo [--target embedded|docker|auto] [--smoke] [--flags FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday demo: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := checkTarget(*tgt); err != nil {
		fmt.Fprintf(stderr, "gameday demo: %v\n", err)
		return exitUsage
	}
	sys, err := demoWithFlags(*flagFile, *tgt, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gameday demo: %v\n", err)
		return exitUsage
	}
	defer forceExitOnSecondSignal(ctx, stderr)()

	began := time.Now()
	env, err := harness.New(ctx, sys, harness.WithTarget(*tgt),
		harness.WithLog(func(s string) { fmt.Fprintln(stderr, s) }))
	if err != nil {
		fmt.Fprintf(stderr, "gameday demo: %v\n", err)
		return exitUsage
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Close(stopCtx); err != nil {
			fmt.Fprintf(stderr, "gameday demo: stop: %v\n", err)
		}
		fmt.Fprintln(stderr, "gameday demo: stopped")
	}()
	fmt.Fprintf(stderr, "gameday demo: %d services up on %s in %v\n",
		len(sys.Services), env.Running.Kind(), time.Since(began).Round(time.Millisecond))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "gameday demo: control API: %v\n", err)
		return exitUsage
	}
	token := env.FlagToken()
	mux := http.NewServeMux()
	mux.Handle("GET "+harness.EdgesPath, harness.EdgesHandler(env, token)) // guards of `gameday rollout`
	mux.Handle("/", fault.NewControlServer(env.Faults, token))
	ctrl := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = ctrl.Serve(ln) }()
	defer ctrl.Close()

	info := session.Info{PID: os.Getpid(), Target: env.Running.Kind(), Services: map[string]string{},
		Flags: env.URL(harness.FlagService), Control: "http://" + ln.Addr().String(), Token: token}
	for _, name := range orderedServices(sys) {
		addr, err := env.Addr(name)
		if err != nil {
			continue
		}
		u := addr
		if svc, _ := sys.Service(name); svc.Protocol == target.HTTP {
			u = "http://" + addr
		}
		info.Services[name] = u
		fmt.Fprintf(stdout, "%s %s\n", name, u)
	}
	remove, err := session.Write(info)
	if err != nil {
		fmt.Fprintf(stderr, "gameday demo: %v (gameday flags/fault from another terminal will not find this demo)\n", err)
	} else {
		defer remove()
	}
	if *smoke {
		if err := runSmoke(ctx, env.URL("frontend"), stdout); err != nil {
			fmt.Fprintf(stderr, "gameday demo: smoke: %v\n", err)
			return exitGate
		}
		return exitOK
	}
	fmt.Fprintln(stderr, "gameday demo: serving; Ctrl-C stops it")
	<-ctx.Done()
	return exitOK
}

// orderedServices puts frontend and flags first, then the rest by name.
func orderedServices(sys target.System) []string {
	var rest []string
	for _, s := range sys.Services {
		if s.Name != "frontend" && s.Name != harness.FlagService {
			rest = append(rest, s.Name)
		}
	}
	sort.Strings(rest)
	return append([]string{"frontend", harness.FlagService}, rest...)
}
