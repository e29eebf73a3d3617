// Command gameday-soak runs many short gameday runs on the embedded and
// docker targets, each interrupted at a random point (test panic, t.Fatal,
// context timeout, SIGINT, SIGTERM, SIGKILL, or not at all), checks after
// each for leaked containers, networks, volumes, processes, listening ports, temp
// dirs, active faults and changed flags, and prints the table. `make soak`
// runs it. Exit 0 when every run left nothing behind, 1 otherwise, 2 on bad
// input.
//
// A short run is a child process (this binary again, see MaybeChild): a
// tiny system of three demo services (flags, product-catalog,
// recommendation), a small load (20 requests/s for 3 s), a flag change and
// a fault (an HTTP error fault on embedded, a pause through the engine on
// docker). A smoke of the leak checker (TestLeakCheckerSmoke) runs in
// `make test`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/fixtures"
)

func main() {
	MaybeChild() // a short run: this binary again, see Run
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("gameday-soak", flag.ContinueOnError)
	runs := fs.Int("runs", 100, "short runs per target")
	targets := fs.String("targets", "embedded,docker", "comma-separated targets: embedded, docker")
	seed := fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed of the plan (printed, to replay a soak)")
	work := fs.String("work", "", "directory for the runs' temp dirs and logs (default: a new temp dir, kept on failure)")
	modeList := fs.String("modes", "", "comma-separated interruptions to draw from (default all: clean, panic, fatal, ctx-timeout, sigint, sigterm, sigkill)")
	within := fs.Duration("within", 0, "interrupt within this long of a run's start (default: the target's usual run length)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	var tgts []string
	for _, t := range strings.Split(*targets, ",") {
		switch t = strings.TrimSpace(t); t {
		case "embedded", "docker":
			tgts = append(tgts, t)
		default:
			fmt.Fprintf(os.Stderr, "gameday-soak: target %q: want embedded or docker\n", t)
			return 2
		}
	}
	var modes []Mode
	for _, m := range strings.Split(*modeList, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if !slices.Contains(Modes, Mode(m)) {
			fmt.Fprintf(os.Stderr, "gameday-soak: mode %q: want one of %v\n", m, Modes)
			return 2
		}
		modes = append(modes, Mode(m))
	}
	if *within < 0 {
		fmt.Fprintln(os.Stderr, "gameday-soak: -within must not be negative")
		return 2
	}
	if *runs < 1 || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "gameday-soak: -runs must be at least 1 and there are no arguments")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir := *work
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fmt.Fprintf(os.Stderr, "gameday-soak: %v\n", err)
			return 2
		}
	} else {
		d, err := os.MkdirTemp("", "gameday-soak-")
		if err != nil {
			fmt.Fprintf(os.Stderr, "gameday-soak: %v\n", err)
			return 2
		}
		dir = d
	}
	// Build the docker image's binary once, here: a child killed in the
	// middle of a build would leave the go command's temp dirs behind.
	var bin string
	for _, t := range tgts {
		if t == "docker" {
			b, err := fixtures.Binary(ctx)
			if err == nil {
				// a private copy: a prune of the shared binary cache (by
				// `gameday clean` or another test) must not break the soak
				bin = filepath.Join(dir, "shop")
				err = copyFile(b, bin)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "gameday-soak: demo binary: %v\n", err)
				return 2
			}
		}
	}
	_, file, _, _ := runtime.Caller(0)
	flagFile := filepath.Join(filepath.Dir(file), "..", "..", "fixtures", "demo", "demo.flagd.json")
	if _, err := os.Stat(flagFile); err != nil {
		flagFile = ""
	}
	plans := NewPlans(tgts, *runs, *seed, modes, *within)
	fmt.Printf("gameday-soak: %d runs (%d per target on %s), seed %d, work dir %s\n", len(plans), *runs, strings.Join(tgts, ", "), *seed, dir)
	began := time.Now()
	results, err := Run(ctx, Config{Plans: plans, WorkDir: dir, FlagFile: flagFile, Binary: bin, Out: os.Stdout})
	fmt.Println()
	PrintTable(os.Stdout, results)
	fmt.Printf("took %s\n", time.Since(began).Round(time.Second))
	if err != nil {
		fmt.Fprintf(os.Stderr, "gameday-soak: %v\n", err)
		return 2
	}
	s := Summarize(results)
	if s.OK != s.Runs {
		fmt.Printf("logs of every run: %s\n", dir)
		return 1
	}
	if *work == "" {
		_ = os.RemoveAll(dir)
	}
	return 0
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}
