package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	neturl "net/url"
	"strings"

	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/session"
)

func init() {
	register(command{name: "flags", summary: "list or set the feature flags of a running demo", run: runFlags})
}

func runFlags(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("flags", "", "flag service URL (default: the running demo's)")
	token := fs.String("token", "", "admin token (default: the running demo's)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday flags list [--flags URL]")
		fmt.Fprintln(stderr, "       gameday flags set KEY VARIANT [--flags URL] [--token T]")
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return exitOK
	}
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return helpOrUsage(err)
	}
	// Check the command line before reaching for a demo.
	want := map[string]int{"list": 0, "set": 2}
	n, known := want[sub]
	switch {
	case !known:
		fmt.Fprintf(stderr, "gameday flags: unknown subcommand %q (want list or set)\n", sub)
		return exitUsage
	case len(pos) != n && sub == "list":
		fmt.Fprintf(stderr, "gameday flags list: unexpected argument %q\n", pos[0])
		return exitUsage
	case len(pos) != n:
		fmt.Fprintf(stderr, "gameday flags set: want KEY VARIANT, got %d argument(s)\n", len(pos))
		return exitUsage
	}
	for _, p := range pos {
		if strings.TrimSpace(p) == "" {
			fmt.Fprintln(stderr, "gameday flags set: KEY and VARIANT must not be blank")
			return exitUsage
		}
	}
	if *url == "" || *token == "" {
		info, err := session.Read()
		if err != nil && *url == "" {
			fmt.Fprintf(stderr, "gameday flags: %v\n", err)
			return exitUsage
		}
		if *url == "" {
			*url = info.Flags
		}
		if *token == "" {
			*token = info.Token
		}
	}
	if u, err := neturl.Parse(*url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "gameday flags: --flags %q: want the flag service's URL, like http://127.0.0.1:8013\n", *url)
		return exitUsage
	}
	client := flags.NewAdminClient(*url, *token)
	switch sub {
	case "list":
		list, err := client.List(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "gameday flags list: %v\n", err)
			return exitUsage
		}
		if err := flags.WriteList(stdout, list); err != nil {
			fmt.Fprintf(stderr, "gameday flags list: %v\n", err)
			return exitUsage
		}
		return exitOK
	case "set":
		key, variant := pos[0], pos[1]
		if err := client.Set(ctx, key, variant); err != nil {
			fmt.Fprintf(stderr, "gameday flags set: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s = %s\n", key, variant)
		return exitOK
	}
	return exitUsage // unreachable: sub was checked above
}
