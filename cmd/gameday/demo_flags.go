package main

import (
	"fmt"
	"io"

	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/fixtures/demo"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/target"
)

// demoWithFlags is the demo system, serving the flagd file at path when one
// is given. It refuses an unreadable or invalid file, and a target other
// than embedded (a container's flag service cannot read the host's file),
// and prints a note for every flag of the file no demo service reads.
func demoWithFlags(path, tgt string, stderr io.Writer) (target.System, error) {
	if path == "" {
		return fixtures.NewDemo()
	}
	if tgt != "embedded" {
		return target.System{}, fmt.Errorf("--flags needs --target embedded (the flag service reads the file where it runs), not %q", tgt)
	}
	set, err := flags.LoadFile(path)
	if err != nil {
		return target.System{}, fmt.Errorf("--flags: %w", err)
	}
	for _, note := range demo.UnimplementedFlags(set.Keys()) {
		fmt.Fprintf(stderr, "gameday demo: %s\n", note)
	}
	fmt.Fprintf(stderr, "gameday demo: serving %d flags from %s (reloaded on change)\n", len(set.Keys()), path)
	return fixtures.NewDemo(fixtures.FlagFile(path))
}
