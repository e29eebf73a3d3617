package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gameday-dev/gameday/harness/target/docker"
)

// `gameday clean` removes every container and network gameday ever created
// on this engine (label gameday=1), live runs included, and the old
// gameday-local images, printing what it removed.
func init() {
	register(command{name: "clean", summary: "remove gameday's containers, networks and old images", run: runClean})
}

func runClean(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clean", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all-images", false, "remove the newest gameday-local image too")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday clean [-all-images]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday clean: unexpected argument %q (usage: gameday clean [-all-images])\n", fs.Arg(0))
		return exitUsage
	}
	if err := docker.Available(ctx); err != nil {
		fmt.Fprintf(stderr, "gameday clean: %v\n", err)
		return exitUsage
	}
	if err := docker.Clean(ctx, docker.CleanConfig{AllImages: *all, Out: stdout}); err != nil {
		fmt.Fprintf(stderr, "gameday clean: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "clean: done")
	return exitOK
}
