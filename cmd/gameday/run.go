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

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tgt := fs.String("target", "embedded", "where to run the system: embedded, docker or auto")
	only := fs.String("only", "", "comma-separated scenario names (default: all; see 'gameday list')")
	short := fs.Bool("short", false, "the fast gate: smaller load and shorter windows")
	dir := fs.String("report", "", "write summary.json, junit.xml and report.html into this directory")
	parallel := fs.Int("parallel", scenarios.DefaultCapacity, "how much work runs at once (scenario weights add up to this)")
	halves := fs.String("halves", "unfixed,fixed", "which halves to play")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gameday run [--target embedded|docker|auto] [--only a,b] [--short] [--report DIR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "gameday run: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	switch *tgt {
	case "embedded", "docker", "auto":
	default:
		fmt.Fprintf(stderr, "gameday run: unknown target %q (want embedded, docker or auto)\n", *tgt)
		return exitUsage
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	selected, err := scenarios.Select(names)
	if err != nil {
		fmt.Fprintf(stderr, "gameday run: %v\n", err)
		return exitUsage
	}
	hs, err := parseHalves(*halves)
	if err != nil {
		fmt.Fprintf(stderr, "gameday run: %v\n", err)
		return exitUsage
	}
	artifacts := ""
	if *dir != "" {
		artifacts = filepath.Join(*dir, "artifacts")
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			fmt.Fprintf(stderr, "gameday run: %v\n", err)
			return exitUsage
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
	fmt.Fprintf(stdout, "gameday run: %d scenario(s), %d half(s), %s gate on %s\n", len(selected), len(jobs), mode, *tgt)
	began := time.Now()
	defer forceExitOnSecondSignal(ctx, stderr)()
	out := &lockedWriter{w: stdout}
	verdicts := scenarios.RunJobs(ctx, jobs, *parallel, func(j scenarios.Job) scenarios.Verdict {
		id := j.Scenario.Name + "/" + string(j.Config.Half)
		out.printf("▶ %-44s started\n", id)
		j.Config.Progress = &progressLine{id: id, out: out}
		var v scenarios.Verdict
		r := harness.NewRunner(ctx, id, nil)
		r.Run(func(t harness.T) { v = scenarios.Play(t, j.Scenario, j.Config) })
		if v.Scenario == "" { // the harness broke before a verdict
			v = scenarios.Verdict{Scenario: j.Scenario.Name, Half: j.Config.Half}
		}
		if r.Failed() {
			v.Passed = false
			v.Messages = append(r.Messages(), v.Messages...)
		}
		out.printf("%s\n", v.Summary())
		for _, m := range v.Messages {
			if !v.Passed {
				out.printf("    %s\n", firstLine(m))
			}
		}
		return v
	})

	fmt.Fprintf(stdout, "\n%-44s %-8s %-13s %s\n", "SCENARIO", "VERDICT", "SLO", "TOOK")
	failed := 0
	rep := report.Report{Title: fmt.Sprintf("gameday run (%s, %s) %s", mode, *tgt, began.UTC().Format(time.RFC3339))}
	for _, v := range verdicts {
		word, slo := "PASS", "held"
		if !v.Passed {
			word = "FAIL"
			failed++
		}
		if !v.SLOHeld {
			slo = "violated"
		}
		fmt.Fprintf(stdout, "%-44s %-8s %-13s %5.1fs\n", v.ID(), word, slo, v.Took.Seconds())
		sc := report.Scenario{Name: v.ID(), Passed: v.Passed, Failures: v.Messages}
		if v.Outcome != nil {
			sc.Run, sc.Measured = v.Outcome.Run, v.Outcome.Measured
		}
		rep.Scenarios = append(rep.Scenarios, sc)
	}
	fmt.Fprintf(stdout, "\n%d passed, %d failed in %v\n", len(verdicts)-failed, failed, time.Since(began).Round(100*time.Millisecond))
	if *dir != "" {
		if err := report.Write(*dir, rep); err != nil {
			fmt.Fprintf(stderr, "gameday run: write report: %v\n", err)
			return exitUsage
		}
		abs, _ := filepath.Abs(filepath.Join(*dir, "report.html"))
		fmt.Fprintf(stdout, "report: %s (also summary.json, junit.xml)\n", abs)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "gameday run: interrupted")
		return exitUsage
	}
	if failed > 0 {
		return exitGate
	}
	return exitOK
}

func parseHalves(s string) ([]scenarios.Half, error) {
	var out []scenarios.Half
	for _, p := range strings.Split(s, ",") {
		switch h := scenarios.Half(strings.TrimSpace(p)); h {
		case scenarios.Unfixed, scenarios.Fixed:
			out = append(out, h)
		default:
			return nil, fmt.Errorf("unknown half %q (want unfixed, fixed)", p)
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
