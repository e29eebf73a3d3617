package main

import (
	"errors"
	"flag"
)

// parseInterspersed parses flags anywhere among the positional arguments
// (`gameday flags set KEY VARIANT --flags URL`), which flag.FlagSet alone
// stops at, and returns the positional arguments in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// helpOrUsage is the exit code of a failed flag parse: 0 for -h/--help
// (the usage was asked for and printed), 2 otherwise (the flag package
// already printed one line saying what was wrong, then the usage).
func helpOrUsage(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
