package main

import (
	"context"
	"flag"
	"fmt"
	"io"

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
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return exitUsage
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
	client := flags.NewAdminClient(*url, *token)
	switch sub {
	case "list":
		if len(pos) != 0 {
			fs.Usage()
			return exitUsage
		}
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
		if len(pos) != 2 {
			fs.Usage()
			return exitUsage
		}
		key, variant := pos[0], pos[1]
		if err := client.Set(ctx, key, variant); err != nil {
			fmt.Fprintf(stderr, "gameday flags set: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s = %s\n", key, variant)
		return exitOK
	default:
		fmt.Fprintf(stderr, "gameday flags: unknown subcommand %q\n", sub)
		fs.Usage()
		return exitUsage
	}
}
