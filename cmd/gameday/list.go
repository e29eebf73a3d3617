package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gameday-dev/gameday/scenarios"
)

func init() {
	register(command{name: "list", summary: "list the incident scenarios", run: runList})
}

func runList(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stderr, "usage: gameday list [-v]")
		return exitOK
	}
	verbose := len(args) > 0 && args[0] == "-v"
	for _, s := range scenarios.Catalogue() {
		if !verbose {
			fmt.Fprintln(stdout, s.Name)
			continue
		}
		fmt.Fprintf(stdout, "%s\n  incident: %s\n  load:     %s\n  fault:    %s\n  SLO:      %s\n  fix:      %s\n\n",
			s.Name, s.Incident, s.Load, s.Fault, s.SLO, s.Fix)
	}
	return exitOK
}
