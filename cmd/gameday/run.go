package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/report"
	"github.com/gameday-dev/gameday/scenarios"
)

func init() {
	register(command{name: "run", summary: "run the incident catalogue as a resilience gate (exit 1 when an SLO gate fails)", run: runRun})
}

// selectScenarios picks the scenarios to play (tests swap in their own).
var selectScenarios = scenarios.Select

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tgt := fs.String("target", "embedded", "where to run the system: embedded, docker or auto")
	only := fs.String("only", "", "comma-separated scenario names (default: all; see 'gameday list')")
	short := fs.Bool("short", false, "the fast gate: smaller load and shorter windows")
	dir := fs.String("report", "", "write summary.json, junit.xml and report.html into this directory")
	parallel := fs.Int("parallel", 0, fmt.Sprintf("how much work runs at once (scenario weights add up to this; default %d, %d on docker)",
		scenarios.DefaultCapacity, scenarios.DockerCapacity))
	halves := fs.String("halves", "unfixed,fixed", "which halves to play")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday run [--target embedded|docker|auto] [--only a,b] [--short] [--report DIR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday run: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "gameday run: %v\n", err)
		return exitUsage
	}
	if err := checkTarget(*tgt); err != nil {
		return fail(err)
	}
	onlySet, parallelSet := false, false
	fs.Visit(func(f *flag.Flag) {
		onlySet = onlySet || f.Name == "only"
		parallelSet = parallelSet || f.Name == "parallel"
	})
	if parallelSet && *parallel < 1 {
		return fail(fmt.Errorf("--parallel %d: must be at least 1", *parallel))
	}
	names, err := parseNames("--only", *only, onlySet)
	if err != nil {
		return fail(err)
	}
	selected, err := selectScenarios(names)
	if err != nil {
		return fail(err)
	}
	hs, err := parseHalves(*halves)
	if err != nil {
		return fail(err)
	}
	artifacts := ""
	if *dir != "" {
		artifacts = filepath.Join(*dir, "artifacts")
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			return fail(err)
		}
	}

	var jobs []scenarios.Job
	for _, s := range selected {
		for _, h := range hs {
			jobs = append(jobs, scenarios.Job{Scenario: s, Config: scenarios.Config{Half: h, Short: *short, Target: *tgt, ArtifactDir: artifacts}})
		}
	}
	mode := "full"
	if *short {
		mode = "short"
	}
	if !parallelSet {
		// each half resolves "auto" again as it starts
		concrete, _ := scenarios.ConcreteTarget(ctx, *tgt)
		*parallel = scenarios.CapacityFor(concrete)
	}
	fmt.Fprintf(stdout, "gameday run: %d scenario(s), %d half(s), %s gate on %s, capacity %d%s\n", len(selected), len(jobs), mode, *tgt, *parallel, machineLoad())
	began := time.Now()
	defer forceExitOnSecondSignal(ctx, stderr)()
	out := &lockedWriter{w: stdout}
	verdicts := scenarios.RunJobs(ctx, jobs, *parallel, func(j scenarios.Job) scenarios.Verdict {
		id := j.Scenario.Name + "/" + string(j.Config.Half)
		out.printf("▶ %-44s started\n", id)
		j.Config.Progress = &progressLine{id: id, out: out}
		v := playHalf(ctx, j)
		out.printf("%s\n", v.Summary())
		if !v.Passed() {
			for _, m := range v.Messages {
				out.printf("    %s\n", firstLine(m))
			}
		}
		return v
	})

	fmt.Fprintf(stdout, "\n%-44s %-8s %-13s %s\n", "SCENARIO", "VERDICT", "SLO", "TOOK")
	rep := report.Report{Title: fmt.Sprintf("gameday run (%s, %s) %s", mode, *tgt, began.UTC().Format(time.RFC3339))}
	for _, v := range verdicts {
		slo := "not judged"
		switch {
		case v.Judged && v.SLOHeld:
			slo = "held"
		case v.Judged:
			slo = "violated"
		}
		fmt.Fprintf(stdout, "%-44s %-8s %-13s %5.1fs\n", v.ID(), v.Status.Word(), slo, v.Took.Seconds())
		rep.Scenarios = append(rep.Scenarios, v.Report())
	}
	passed, failed, errored := rep.Counts()
	fmt.Fprintf(stdout, "\n%d passed, %d failed, %d error(s) in %v%s\n", passed, failed, errored, time.Since(began).Round(100*time.Millisecond), machineLoad())
	if *dir != "" {
		if err := report.Write(*dir, rep); err != nil {
			fmt.Fprintf(stderr, "gameday run: write report: %v\n", err)
			return exitUsage
		}
		abs, _ := filepath.Abs(filepath.Join(*dir, "report.html"))
		fmt.Fprintf(stdout, "report: %s (also summary.json, junit.xml)\n", abs)
	}
	return exitCode(ctx, rep, stderr)
}

// exitCode is the gate's exit code: 2 when interrupted or any half could
// not be judged (ERROR), else 1 when an SLO gate failed, else 0.
func exitCode(ctx context.Context, rep report.Report, stderr io.Writer) int {
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "gameday run: interrupted: no verdict (exit 2)")
		return exitUsage
	}
	switch rep.Verdict() {
	case harness.Error:
		fmt.Fprintln(stderr, "gameday run: the gate could not run every half (ERROR, exit 2)")
		return exitUsage
	case harness.Fail:
		return exitGate
	}
	return exitOK
}

// playHalf plays one half on a Runner. What the Runner records (a t.Fatalf
// or t.Errorf of the harness, a panic, a failed cleanup) means the half
// could not be judged: ERROR. The SLO judgement itself runs on a Recorder
// inside scenarios.Play and is the only way to FAIL.
func playHalf(ctx context.Context, j scenarios.Job) scenarios.Verdict {
	var v scenarios.Verdict
	began := time.Now()
	r := harness.NewRunner(ctx, j.Scenario.Name+"/"+string(j.Config.Half), nil)
	r.Run(func(t harness.T) { v = scenarios.Play(t, j.Scenario, j.Config) })
	took := time.Since(began)
	switch {
	case ctx.Err() != nil && !v.Interrupted:
		v = scenarios.Errored(j.Scenario, j.Config, took, "interrupted: "+ctx.Err().Error(), true)
	case r.Failed() && v.Status != harness.Error:
		v = scenarios.Errored(j.Scenario, j.Config, took, strings.Join(r.Messages(), "\n"), false)
	case r.Failed():
		v.Error = strings.Join(append(r.Messages(), v.Error), "\n")
	case v.Scenario == "": // Play never returned, yet nothing was recorded
		v = scenarios.Errored(j.Scenario, j.Config, took, "the half stopped before a verdict", false)
	}
	return v
}

// checkTarget accepts the targets `gameday run` knows.
func checkTarget(tgt string) error {
	switch tgt {
	case "embedded", "docker", "auto":
		return nil
	}
	return fmt.Errorf("unknown target %q (want embedded, docker or auto)", tgt)
}

// parseNames splits a comma-separated list of names given to opt. A list
// that was set must name something, with no blank entry and no repeat.
func parseNames(opt, list string, set bool) ([]string, error) {
	if !set {
		return nil, nil
	}
	if strings.TrimSpace(list) == "" {
		return nil, fmt.Errorf("%s is empty: name at least one, or leave the option out for the default", opt)
	}
	var names []string
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			return nil, fmt.Errorf("%s %q: a blank name", opt, list)
		case seen[n]:
			return nil, fmt.Errorf("%s %q: %s is named twice", opt, list, n)
		}
		seen[n] = true
		names = append(names, n)
	}
	return names, nil
}

func parseHalves(s string) ([]scenarios.Half, error) {
	names, err := parseNames("--halves", s, true)
	if err != nil {
		return nil, err
	}
	var out []scenarios.Half
	for _, p := range names {
		switch h := scenarios.Half(p); h {
		case scenarios.Unfixed, scenarios.Fixed:
			out = append(out, h)
		default:
			return nil, fmt.Errorf("--halves: unknown half %q (want unfixed, fixed)", p)
		}
	}
	return out, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// lockedWriter serialises lines from concurrent scenarios.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}

// progressLine turns a load's once-a-second status into a line every few
// seconds, prefixed with the scenario it belongs to.
type progressLine struct {
	id   string
	out  *lockedWriter
	mu   sync.Mutex
	last time.Time
	buf  bytes.Buffer
}

const progressEvery = 5 * time.Second

func (p *progressLine) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf.Write(b)
	sc := bufio.NewScanner(bytes.NewReader(p.buf.Bytes()))
	var lastLine string
	for sc.Scan() {
		lastLine = sc.Text()
	}
	if bytes.HasSuffix(p.buf.Bytes(), []byte("\n")) {
		p.buf.Reset()
	}
	if lastLine != "" && time.Since(p.last) >= progressEvery {
		p.last = time.Now()
		p.out.printf("  %-44s %s\n", p.id, strings.TrimSpace(lastLine))
	}
	return len(b), nil
}

// machineLoad is ", load average 3.10 on 2 CPUs" where the OS tells it
// (Linux), else "": timing-sensitive verdicts read differently on a busy
// machine, and the run says how busy it was.
func machineLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return fmt.Sprintf(", load average %s on %d CPUs", f[0], runtime.NumCPU())
}
