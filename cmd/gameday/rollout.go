package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/session"
	"github.com/gameday-dev/gameday/harness/slo"
)

func init() {
	register(command{name: "rollout", summary: "move a flag of a running demo to a variant in steps, reverting it when a guard SLO breaks", run: runRollout})
}

func rolloutUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: gameday rollout FLAG VARIANT [--steps 1,10,50,100] [--dwell 10s] [--guard CALLER->CALLEE] [--objective 99]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Moves FLAG of the demo started by 'gameday demo' to VARIANT for each step's percentage of the")
	fmt.Fprintln(w, "evaluations (flagd fractional targeting), holding each step for the dwell. With --guard the")
	fmt.Fprintln(w, "requests the demo's proxies count on that edge, from any client, are judged every second by")
	fmt.Fprintln(w, "burn-rate alerts; the first breach puts the flag back as it was. Exit 0 when the rollout")
	fmt.Fprintln(w, "completed, 1 when the guard reverted it, 2 on bad input or Ctrl-C (the flag is put back).")
	fmt.Fprintln(w)
	fs.PrintDefaults()
}

func runRollout(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rollout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	steps := fs.String("steps", "100", "comma-separated percentages of the evaluations, increasing, ending at 100")
	dwell := fs.Duration("dwell", harness.DefaultDwell, "how long each step is held and watched")
	guard := fs.String("guard", "", "edge whose requests the guard judges, CALLER->CALLEE (client->frontend: traffic from outside); empty: unguarded")
	objective := fs.Float64("objective", 99, "percentage of the guarded requests that must be good")
	flagsURL := fs.String("flags", "", "flag service URL (default: the running demo's)")
	control := fs.String("control", "", "control API URL serving the proxies' counts (default: the running demo's)")
	token := fs.String("token", "", "admin token (default: the running demo's)")
	fs.Usage = func() { rolloutUsage(stderr, fs) }
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "gameday rollout: "+format+"\n", a...)
		return exitUsage
	}
	if len(pos) != 2 {
		return bad("want FLAG VARIANT, got %d arguments (gameday rollout -h)", len(pos))
	}
	spec := harness.Rollout{Flag: pos[0], Variant: pos[1], Dwell: *dwell,
		Progress: func(line string) { fmt.Fprintln(stdout, line) }}
	if spec.Steps, err = parseSteps(*steps); err != nil {
		return bad("--steps %q: %v", *steps, err)
	}
	if !(*objective > 0 && *objective < 100) {
		return bad("--objective %v: want a percentage in (0, 100), e.g. 99.9", *objective)
	}
	if *flagsURL == "" || *token == "" || (*guard != "" && *control == "") {
		info, err := session.Read()
		if err != nil {
			return bad("%v", err)
		}
		*flagsURL, *token, *control = or(*flagsURL, info.Flags), or(*token, info.Token), or(*control, info.Control)
	}
	if *guard != "" {
		sel, err := parseEdge(*guard)
		if err != nil {
			return bad("--guard %q: %v", *guard, err)
		}
		url, tok := *control, *token
		read := func(ctx context.Context) ([]proxy.Edge, error) { return harness.FetchEdges(ctx, nil, url, tok) }
		spec.Guard.Objectives = []slo.Objective{{Source: slo.FromEdges(read, sel), Target: *objective / 100}}
	}
	if err := spec.Validate(); err != nil {
		return bad("%v", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	rr, err := harness.RunRollout(ctx, flags.NewAdminClient(*flagsURL, *token), nil, spec)
	if err != nil {
		return bad("%v", err)
	}
	guardText := "unguarded"
	if !spec.Guard.Empty() {
		guardText = "guarded by " + spec.Guard.Objectives[0].String()
	}
	fmt.Fprintf(stdout, "rollout %s=%s in steps %s, %s each, %s\n", spec.Flag, spec.Variant, *steps, spec.Dwell, guardText)
	res, err := rr.Collect(context.WithoutCancel(ctx))
	if ctx.Err() != nil {
		rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rr.Restore(rctx); err != nil {
			fmt.Fprintf(stderr, "gameday rollout: interrupted; %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "gameday rollout: interrupted; %s is back to %s\n", spec.Flag, res.Previous)
		return exitUsage
	}
	fmt.Fprintln(stdout, res)
	switch {
	case err != nil:
		return exitUsage
	case res.Reverted:
		return exitGate
	}
	return exitOK
}

// parseSteps reads "1,10,50,100" as shares 0.01, 0.1, 0.5, 1.
func parseSteps(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(f), "%"), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a percentage", f)
		}
		out = append(out, v/100)
	}
	return out, nil
}

// parseEdge reads "caller->callee"; "client" is traffic from outside.
func parseEdge(s string) (slo.EdgeSelector, error) {
	caller, callee, ok := strings.Cut(s, "->")
	caller, callee = strings.TrimSpace(caller), strings.TrimSpace(callee)
	if !ok || caller == "" || callee == "" {
		return slo.EdgeSelector{}, errors.New("want CALLER->CALLEE, e.g. client->frontend or checkout->payment")
	}
	return slo.EdgeSelector{Caller: caller, Callee: callee}, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
