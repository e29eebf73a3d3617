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

func faultUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: gameday fault KIND --target SERVICE --duration D [options] [--wait]")
	fmt.Fprintln(w, "       gameday fault list")
	fmt.Fprintln(w, "       gameday fault revert ID|--all")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "kinds: %s; 'gameday fault KIND -h' lists its options.\n", strings.Join(faultCommandNames(), ", "))
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
	fc, ok := findFaultCommand(args[0])
	if !ok {
		fmt.Fprintf(stderr, "gameday fault: unknown kind %q (kinds: %s; see 'gameday fault -h')\n",
			args[0], strings.Join(faultCommandNames(), ", "))
		return exitUsage
	}
	return runFaultInject(ctx, fc, args[1:], stdout, stderr)
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

func runFaultInject(ctx context.Context, fc faultCommand, args []string, stdout, stderr io.Writer) int {
	kindName := fc.name
	fs := flag.NewFlagSet("fault "+kindName, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line below
	sel := fs.String("target", "", "the service (or a glob) to inject into; required except for partition")
	dur := fs.String("duration", "", "how long the fault lasts, e.g. 30s (required, at most 1h)")
	start := fs.String("start", "", "wait this long before injecting")
	wait := fs.Bool("wait", false, "stay until the fault ends; Ctrl-C reverts it")
	ctl := addControlFlags(fs)
	fc.addFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: gameday fault %s --target SERVICE --duration D [options] [--wait]\n", kindName)
			fc.printKinds(stderr)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return exitOK
		}
		fmt.Fprintf(stderr, "gameday fault %s: %v (see 'gameday fault %s -h')\n", kindName, err, kindName)
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday fault %s: unexpected argument %q\n", kindName, fs.Arg(0))
		return exitUsage
	}
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(fc.flagNames(), f.Name) {
			set[f.Name] = f.Value.String()
		}
	})
	spec, err := faultSpec(fc, set, *sel, *dur, *start)
	if err != nil {
		fmt.Fprintf(stderr, "gameday fault %s: %s\n", kindName, oneLine(err))
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
		fmt.Fprintf(stderr, "gameday fault %s: %s\n", kindName, oneLine(err))
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

// faultSpec builds and checks the fault request from the command's flags,
// before anything reaches the demo.
func faultSpec(fc faultCommand, set map[string]string, target, dur, start string) (fault.Spec, error) {
	def, params, err := fc.params(set)
	if err != nil {
		return fault.Spec{}, err
	}
	if def.Name == "partition" && target == "" {
		// The injected side is the callee unless --target says otherwise.
		if target = params["to"]; target == "" {
			return fault.Spec{}, errors.New("give --to (the callee), or --target naming the callee")
		}
	}
	spec := fault.Spec{Kind: def.Name, Target: target, Duration: dur, Start: start, Params: params}
	if _, _, err := spec.Parse(); err != nil {
		return fault.Spec{}, err
	}
	return spec, nil
}

// oneLine joins the lines of a (joined) error with "; ".
func oneLine(err error) string {
	return strings.Join(strings.Split(strings.TrimSpace(err.Error()), "\n"), "; ")
}

func clock(t time.Time) string { return t.Local().Format(time.TimeOnly) }

func runFaultList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fault list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	ctl := addControlFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: gameday fault list [--control URL --token T]")
			return exitOK
		}
		fmt.Fprintf(stderr, "gameday fault list: %v\n", err)
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday fault list: unexpected argument %q (it takes none)\n", fs.Arg(0))
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
	fs.SetOutput(io.Discard)
	all := fs.Bool("all", false, "revert every active fault")
	ctl := addControlFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stderr, "usage: gameday fault revert ID|--all")
		return exitOK
	}
	if err != nil || (len(pos) == 0) == !*all || len(pos) > 1 {
		fmt.Fprintln(stderr, "gameday fault revert: give one fault ID or --all (usage: gameday fault revert ID|--all)")
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
