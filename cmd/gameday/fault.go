package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/session"
)

func init() {
	register(command{name: "fault", summary: "inject a bounded fault into a running demo, list or revert faults", run: runFault})
}

// faultPoll is how often --wait asks whether the fault has ended.
const faultPoll = 250 * time.Millisecond

// faultKinds are the CLI's kinds with the flags each takes; a flag's name
// is the ParseSpec parameter it sets unless the kind maps it (tcp).
var faultKinds = map[string][]string{
	"http":      {"delay", "variation", "error-rate", "error-code", "error-body", "exclude"},
	"grpc":      {"delay", "variation", "error-rate", "status-code", "status-message", "exclude"},
	"tcp":       {"latency", "jitter", "bandwidth", "reset", "timeout", "blackhole", "slice-size", "slice-variation", "slice-delay", "down"},
	"kill":      {"restart-after", "no-restart"},
	"pause":     nil,
	"partition": {"from", "to"},
	"memory":    {"limit"},
	"cpu":       {"cpus"},
}

var faultFlagHelp = map[string]string{
	"delay":           "average delay added to each request, e.g. 900ms",
	"variation":       "delay varies uniformly by ± this (≤ delay)",
	"error-rate":      "fraction of requests failed, 0–1",
	"error-code":      "HTTP status of failed requests, e.g. 503",
	"error-body":      "body of failed requests",
	"exclude":         "comma-separated paths (http) or gRPC services left alone",
	"status-code":     "gRPC code of failed calls, e.g. 14 (Unavailable)",
	"status-message":  "gRPC message of failed calls",
	"latency":         "delay on the data, e.g. 100ms",
	"jitter":          "latency varies by ± this",
	"bandwidth":       "limit to this many KB/s",
	"reset":           "reset connections after this long (0s: at once)",
	"timeout":         "stall connections, close after this long (0s: never)",
	"blackhole":       "stall connections until the fault ends",
	"slice-size":      "cut data into pieces of this many bytes",
	"slice-variation": "piece sizes vary by ± this",
	"slice-delay":     "pause between pieces",
	"down":            "refuse connections, as if the service were gone",
	"restart-after":   "start the service again after this long (default: when the fault ends)",
	"no-restart":      "leave the service down when the fault ends",
	"from":            "the caller side",
	"to":              "the callee side",
	"limit":           "memory limit, e.g. 20Mi (docker only)",
	"cpus":            "CPU limit, e.g. 0.5 (docker only)",
}

var boolFaultFlags = []string{"blackhole", "down", "no-restart"}

func faultUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: gameday fault KIND --target SERVICE --duration D [options] [--wait]")
	fmt.Fprintln(w, "       gameday fault list")
	fmt.Fprintln(w, "       gameday fault revert ID|--all")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "kinds: http, grpc, tcp, kill, pause, partition, memory, cpu; 'gameday fault KIND -h' lists its options.")
	fmt.Fprintln(w, "The fault goes into the demo started by 'gameday demo' and is reverted when D ends (at most 1h);")
	fmt.Fprintln(w, "with --wait the command stays until then and Ctrl-C reverts it early.")
}

func runFault(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		faultUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "list":
		return runFaultList(ctx, args[1:], stdout, stderr)
	case "revert":
		return runFaultRevert(ctx, args[1:], stdout, stderr)
	}
	if _, ok := faultKinds[args[0]]; !ok {
		fmt.Fprintf(stderr, "gameday fault: unknown kind %q\n\n", args[0])
		faultUsage(stderr)
		return exitUsage
	}
	return runFaultInject(ctx, args[0], args[1:], stdout, stderr)
}

// controlFlags are the flags every fault subcommand takes to find the demo.
type controlFlags struct{ url, token *string }

func addControlFlags(fs *flag.FlagSet) controlFlags {
	return controlFlags{
		url:   fs.String("control", "", "fault control API URL (default: the running demo's)"),
		token: fs.String("token", "", "control API token (default: the running demo's)"),
	}
}

// client finds the running demo through its session file.
func (c controlFlags) client() (*fault.Client, error) {
	url, token := *c.url, *c.token
	if url == "" || token == "" {
		info, err := session.Read()
		if err != nil {
			if errors.Is(err, session.ErrNoSession) {
				return nil, errors.New("no running gameday demo found: start one with 'gameday demo'")
			}
			return nil, err
		}
		if url == "" {
			url = info.Control
		}
		if token == "" {
			token = info.Token
		}
	}
	if url == "" {
		return nil, errors.New("the running demo has no fault control API")
	}
	return fault.NewClient(url, token), nil
}

func runFaultInject(ctx context.Context, kind string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fault "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sel := fs.String("target", "", "the service (or a glob) to inject into; required except for partition")
	dur := fs.String("duration", "", "how long the fault lasts, e.g. 30s (required, at most 1h)")
	start := fs.String("start", "", "wait this long before injecting")
	wait := fs.Bool("wait", false, "stay until the fault ends; Ctrl-C reverts it")
	ctl := addControlFlags(fs)
	vals := map[string]*string{}
	for _, name := range faultKinds[kind] {
		if slices.Contains(boolFaultFlags, name) {
			fs.Bool(name, false, faultFlagHelp[name])
			continue
		}
		vals[name] = fs.String(name, "", faultFlagHelp[name])
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gameday fault %s --target SERVICE --duration D [options] [--wait]\n", kind)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday fault %s: unexpected argument %q\n", kind, fs.Arg(0))
		return exitUsage
	}
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := faultFlagHelp[f.Name]; ok {
			set[f.Name] = f.Value.String()
		}
	})
	specKind, params, err := faultParams(kind, set)
	spec := fault.Spec{Kind: specKind, Target: *sel, Duration: *dur, Start: *start, Params: params}
	if kind == "partition" && spec.Target == "" {
		spec.Target = firstNonEmpty(params["to"], params["from"])
	}
	if err == nil {
		_, _, err = spec.Parse()
	}
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault %s: %s\n", kind, strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return exitUsage
	}
	client, err := ctl.client()
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault: %v\n", err)
		return exitUsage
	}
	// Ctrl-C while the request is in flight must not leave the fault
	// behind unseen: finish the request, then revert below.
	st, err := client.Inject(context.WithoutCancel(ctx), spec)
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault %s: %v\n", kind, err)
		return exitUsage
	}
	verb := "injected"
	if st.State == fault.Pending {
		verb = "scheduled"
	}
	fmt.Fprintf(stdout, "%s %s: %s into %s from %s until %s\n", verb, st.ID, st.Fault,
		strings.Join(st.Services, ", "), clock(st.Start), clock(st.Until))
	if !*wait && ctx.Err() == nil {
		fmt.Fprintf(stdout, "revert early with 'gameday fault revert %s'\n", st.ID)
		return exitOK
	}
	fmt.Fprintln(stderr, "holding; Ctrl-C reverts it now")
	return waitFault(ctx, client, st.ID, stdout, stderr)
}

// waitFault polls until the fault ends, or reverts it when ctx is done.
func waitFault(ctx context.Context, client *fault.Client, id string, stdout, stderr io.Writer) int {
	tick := time.NewTicker(faultPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			st, err := client.Revert(rctx, id)
			if err != nil {
				fmt.Fprintf(stderr, "gameday fault: revert %s: %v\n", id, err)
				return exitUsage
			}
			fmt.Fprintf(stdout, "reverted %s: %s (%s)\n", st.ID, st.Fault, st.State)
			return exitOK
		case <-tick.C:
			st, err := client.Status(ctx, id)
			if err != nil {
				if ctx.Err() != nil {
					continue // Ctrl-C: revert on the next turn
				}
				fmt.Fprintf(stderr, "gameday fault: %v\n", err)
				return exitUsage
			}
			if st.State == fault.Reverted || st.State == fault.Failed {
				fmt.Fprintf(stdout, "%s %s: %s (%s)\n", st.State, st.ID, st.Fault, st.Reason)
				if st.Error != "" {
					fmt.Fprintf(stderr, "gameday fault: %s\n", st.Error)
					return exitUsage
				}
				return exitOK
			}
		}
	}
}

// faultParams maps a CLI kind and its set flags to a ParseSpec kind and
// parameters. tcp picks its kind from the one fault flag given.
func faultParams(kind string, set map[string]string) (string, map[string]string, error) {
	switch kind {
	case "memory":
		return "memory-limit", rename(set, map[string]string{"limit": "bytes"}), nil
	case "cpu":
		return "cpu-limit", set, nil
	case "tcp":
		return tcpParams(set)
	}
	return kind, set, nil
}

func tcpParams(set map[string]string) (string, map[string]string, error) {
	var chosen []string
	for _, k := range []string{"latency", "bandwidth", "reset", "timeout", "blackhole", "slice-size", "down"} {
		if _, ok := set[k]; ok {
			chosen = append(chosen, "--"+k)
		}
	}
	if len(chosen) != 1 {
		return "", nil, fmt.Errorf("give exactly one of --latency, --bandwidth, --reset, --timeout, --blackhole, --slice-size, --down (got %d: %s)",
			len(chosen), strings.Join(chosen, " "))
	}
	switch chosen[0] {
	case "--latency":
		return "latency", set, nil
	case "--bandwidth":
		return "bandwidth", rename(set, map[string]string{"bandwidth": "kbps"}), nil
	case "--reset":
		return "reset-peer", rename(set, map[string]string{"reset": "after"}), nil
	case "--timeout":
		if d, err := time.ParseDuration(set["timeout"]); err == nil && d == 0 {
			delete(set, "timeout")
			return "blackhole", set, nil
		}
		return "timeout", rename(set, map[string]string{"timeout": "after"}), nil
	case "--blackhole":
		delete(set, "blackhole")
		return "blackhole", set, nil
	case "--down":
		delete(set, "down")
		return "down", set, nil
	}
	return "slicer", rename(set, map[string]string{"slice-size": "size", "slice-variation": "variation", "slice-delay": "delay"}), nil
}

// rename returns m with keys renamed; others are kept, so ParseSpec
// reports flags that do not belong to the chosen kind.
func rename(m, names map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func clock(t time.Time) string { return t.Local().Format(time.TimeOnly) }

func runFaultList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fault list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctl := addControlFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return exitUsage
	}
	client, err := ctl.client()
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault: %v\n", err)
		return exitUsage
	}
	list, err := client.List(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault list: %v\n", err)
		return exitUsage
	}
	for _, st := range list {
		fmt.Fprintf(stdout, "%-4s %-8s %-20s %s until %s\n", st.ID, st.State, strings.Join(st.Services, ","), st.Fault, clock(st.Until))
	}
	return exitOK
}

func runFaultRevert(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fault revert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "revert every active fault")
	ctl := addControlFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil || (len(pos) == 0) == !*all || len(pos) > 1 {
		fmt.Fprintln(stderr, "usage: gameday fault revert ID|--all")
		return exitUsage
	}
	client, err := ctl.client()
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault: %v\n", err)
		return exitUsage
	}
	ids := pos
	if *all {
		list, err := client.List(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "gameday fault revert: %v\n", err)
			return exitUsage
		}
		for _, st := range list {
			if st.State == fault.Active || st.State == fault.Pending {
				ids = append(ids, st.ID)
			}
		}
	}
	code := exitOK
	for _, id := range ids {
		st, err := client.Revert(ctx, id)
		if err != nil {
			fmt.Fprintf(stderr, "gameday fault revert %s: %v\n", id, err)
			code = exitUsage
			continue
		}
		fmt.Fprintf(stdout, "reverted %s: %s\n", st.ID, st.Fault)
	}
	return code
}
