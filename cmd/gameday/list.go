package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gameday-dev/gameday/scenarios"
)

func init() {
	register(command{name: "list", summary: "list the incident scenarios", run: runList})
}

func runList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "describe each scenario: incident, load, fault, SLO, fix")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday list [-v] [NAME...]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return helpOrUsage(err)
	}
	// Names given pick scenarios, each one known (an unknown name is an
	// error, not an empty list).
	for _, n := range pos {
		if n == "" {
			fmt.Fprintln(stderr, "gameday list: a blank scenario name")
			return exitUsage
		}
	}
	selected, err := scenarios.Select(pos)
	if err != nil {
		fmt.Fprintf(stderr, "gameday list: %v\n", err)
		return exitUsage
	}
	for _, s := range selected {
		if !*verbose {
			fmt.Fprintln(stdout, s.Name)
			continue
		}
		fmt.Fprintf(stdout, "%s\n  incident: %s\n  load:     %s\n  fault:    %s\n  SLO:      %s\n  fix:      %s\n\n",
			s.Name, s.Incident, s.Load, s.Fault, s.SLO, s.Fix)
	}
	return exitOK
}
