package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// cli runs one gameday command line in-process.
func cli(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = dispatch(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// Bad input gets one clear line on stderr and exit 2, before anything
// starts (no demo, no docker, no network): each case here returns at once.
func TestBadInput(t *testing.T) {
	t.Setenv("GAMEDAY_SESSION", t.TempDir()+"/none.json") // no running demo to reach
	for _, c := range []struct {
		args []string
		want string // in stderr's first line
	}{
		{[]string{}, "usage: gameday COMMAND"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"run", "--parallel", "0"}, "--parallel 0: must be at least 1"},
		{[]string{"run", "--parallel", "-1"}, "--parallel -1: must be at least 1"},
		{[]string{"run", "--parallel", "x"}, `invalid value "x"`},
		{[]string{"run", "--halves", "fixed,fixed"}, "fixed is named twice"},
		{[]string{"run", "--halves", "fixd"}, `unknown half "fixd"`},
		{[]string{"run", "--halves", ""}, "--halves is empty"},
		{[]string{"run", "--only", ""}, "--only is empty"},
		{[]string{"run", "--only", " "}, "--only is empty"},
		{[]string{"run", "--only", "payment-failure,"}, "a blank name"},
		{[]string{"run", "--only", "a,,b"}, "a blank name"},
		{[]string{"run", "--only", "payment-failure,payment-failure"}, "payment-failure is named twice"},
		{[]string{"run", "--only", "nosuch"}, "unknown scenario(s) nosuch"},
		{[]string{"run", "--target", "k8s"}, `unknown target "k8s"`},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
		{[]string{"run", "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"list", "nosuch"}, "unknown scenario(s) nosuch"},
		{[]string{"list", "payment-failure", ""}, "a blank scenario name"},
		{[]string{"list", "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"flags"}, "usage: gameday flags"},
		{[]string{"flags", "nosuch"}, `unknown subcommand "nosuch"`},
		{[]string{"flags", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"flags", "set", "paymentFailure"}, "want KEY VARIANT, got 1"},
		{[]string{"flags", "set", "a", "b", "c"}, "want KEY VARIANT, got 3"},
		{[]string{"flags", "set", "paymentFailure", " "}, "must not be blank"},
		{[]string{"flags", "list", "--flags", "localhost:8013"}, "want the flag service's URL"},
		{[]string{"flags", "list"}, "gameday flags:"}, // no session file: says so
		{[]string{"flags", "list", "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"demo", "extra"}, `unexpected argument "extra"`},
		{[]string{"demo", "--target", "k8s"}, `unknown target "k8s"`},
		{[]string{"demo", "--nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"clean", "extra"}, `unexpected argument "extra"`},
		{[]string{"clean", "--nosuch"}, "flag provided but not defined: -nosuch"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := cli(t.Context(), c.args...)
			first, _, _ := strings.Cut(stderr, "\n")
			if code != exitUsage || !strings.Contains(first, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q on the first line", code, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q: bad input must print nothing there", stdout)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("stderr %q", stderr)
			}
		})
	}
}

// Our own checks print exactly one line (the flag package's own parse
// errors add the usage after theirs).
func TestBadInputIsOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--parallel", "0"}, {"run", "--halves", "fixed,fixed"}, {"run", "--only", ""},
		{"run", "--only", "a,"}, {"list", "nosuch"}, {"flags", "nosuch"}, {"demo", "--target", "x"}, {"clean", "x"},
	} {
		code, _, stderr := cli(t.Context(), args...)
		if code != exitUsage || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line", args, code, stderr)
		}
	}
}

// -h prints the usage and exits 0 for every command.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"help"}, {"run", "-h"}, {"list", "-h"}, {"flags", "-h"},
		{"flags", "list", "-h"}, {"demo", "-h"}, {"clean", "-h"}} {
		code, _, stderr := cli(t.Context(), args...)
		if code != exitOK || !strings.Contains(stderr, "usage") {
			t.Errorf("%v: exit %d, stderr %q; want exit 0 and the usage", args, code, stderr)
		}
	}
}

func TestList(t *testing.T) {
	code, out, _ := cli(t.Context(), "list")
	if code != exitOK || !strings.Contains(out, "payment-failure\n") || strings.Count(out, "\n") < 10 {
		t.Errorf("list: exit %d, %q", code, out)
	}
	code, out, _ = cli(t.Context(), "list", "-v", "payment-failure")
	if code != exitOK || !strings.HasPrefix(out, "payment-failure\n  incident: seed 000") || strings.Contains(out, "homepage-flood") {
		t.Errorf("list -v payment-failure: exit %d, %q", code, out)
	}
}
