package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Defaults of Config.
const (
	// DefaultSettle is how long after a run's process ended everything it
	// started must be gone (containers and networks of a SIGKILLed run are
	// removed by its reaper, which takes a few seconds on a busy engine).
	DefaultSettle = 15 * time.Second
	// FaultBound is how long after its owner's SIGKILL a fault may last:
	// issue 13 allows the fault's duration + 5 s; counted here from the
	// kill, which is stricter.
	FaultBound = 5 * time.Second
	// hangAfter is when a child that has not exited counts as hung (and is
	// SIGKILLed, its leftovers checked all the same).
	hangAfter = 90 * time.Second
)

// Config is one soak.
type Config struct {
	Plans    []Plan
	Exe      string        // the binary to run children with (MaybeChild first in it); default os.Executable
	ExeArgs  []string      // its arguments (a test binary: -test.run=^$)
	WorkDir  string        // per-run temp and state dirs and logs go here (required)
	FlagFile string        // must not change; "" to skip
	Binary   string        // the docker target's binary, built once; "" lets each run build (or reuse) it
	Settle   time.Duration // default DefaultSettle
	Out      io.Writer     // one line per run; default discarded
}

// Result is one run's outcome.
type Result struct {
	Plan    Plan
	Exit    int           // the child's exit code (-1: killed by a signal)
	Started bool          // the system came up (it printed its addresses)
	Hung    bool          // it did not exit within hangAfter
	Took    time.Duration // start to exit
	Settled time.Duration // exit (or kill) to no leftovers; Settle+ if never
	// FaultsGone is exit (or kill) to no fault left in place (a docker
	// service no longer paused); FaultBound+ counts as a leaked fault.
	FaultsGone time.Duration
	Leaks      Leaks
	LogFile    string
	Finished   bool // the run reached its end report (FAULTS, FLAG lines)
}

// Broken reports a run that failed on its own before its interruption
// was due (or, in Clean mode, never finished): it says nothing about
// cleanup under interruption, so it fails the soak too.
func (r Result) Broken() bool {
	if r.Plan.Mode == Clean || r.Plan.Mode == Leak {
		return !r.Finished || r.Exit != 0
	}
	return r.Exit != 0 && r.Took < r.Plan.At && !r.Finished
}

// OK reports a run that ran as planned, left nothing behind and did not
// hang.
func (r Result) OK() bool { return !r.Hung && !r.Broken() && r.Leaks.Total() == 0 }

// Run executes every plan in turn and returns the results.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.WorkDir == "" {
		return nil, errors.New("soak: WorkDir is required")
	}
	if cfg.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("soak: %w", err)
		}
		cfg.Exe = exe
	}
	if cfg.Settle == 0 {
		cfg.Settle = DefaultSettle
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	chk := NewChecker(ctx)
	defer chk.Close()
	var out []Result
	for _, p := range cfg.Plans {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		res, err := runOne(ctx, cfg, chk, p)
		if err != nil {
			return out, err
		}
		status := "ok"
		switch {
		case res.Hung:
			status = fmt.Sprintf("HUNG, leaks %v", res.Leaks.Detail)
		case res.Broken():
			status = fmt.Sprintf("BROKEN (failed before its interruption; see %s), leaks %v", res.LogFile, res.Leaks.Detail)
		case !res.OK():
			status = fmt.Sprintf("LEAK %v", res.Leaks.Detail)
		}
		fmt.Fprintf(cfg.Out, "%-34s exit %3d  took %6s  faults gone %6s  settled %6s  %s\n", p, res.Exit,
			res.Took.Round(100*time.Millisecond), res.FaultsGone.Round(10*time.Millisecond),
			res.Settled.Round(10*time.Millisecond), status)
		out = append(out, res)
	}
	return out, nil
}

func runOne(ctx context.Context, cfg Config, chk *Checker, p Plan) (Result, error) {
	res := Result{Plan: p}
	dir := filepath.Join(cfg.WorkDir, fmt.Sprintf("run-%03d", p.N))
	tmp, state := filepath.Join(dir, "tmp"), filepath.Join(dir, "state")
	for _, d := range []string{tmp, state} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return res, fmt.Errorf("soak: %w", err)
		}
	}
	res.LogFile = filepath.Join(dir, "child.log")
	logf, err := os.Create(res.LogFile)
	if err != nil {
		return res, fmt.Errorf("soak: %w", err)
	}
	defer logf.Close()
	ev := Evidence{TempDir: tmp, Faults: -1, FlagFile: cfg.FlagFile}
	if cfg.FlagFile != "" {
		if ev.FlagSum, err = fileSum(cfg.FlagFile); err != nil {
			return res, fmt.Errorf("soak: flag file: %w", err)
		}
	}
	cmd := exec.Command(cfg.Exe, cfg.ExeArgs...)
	cmd.Env = append(os.Environ(), ChildEnv+"="+p.encode(), "TMPDIR="+tmp, "XDG_RUNTIME_DIR="+state,
		"GAMEDAY_SESSION="+filepath.Join(state, "demo.json"), BinaryEnv+"="+cfg.Binary)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return res, fmt.Errorf("soak: %w", err)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("soak: start child: %w", err)
	}
	ev.PID = cmd.Process.Pid
	lines := make(chan struct{})
	go func() { // the child's report
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(logf, "stdout: "+sc.Text())
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 3 && f[0] == "ADDR":
				ev.Addrs = append(ev.Addrs, f[2])
				res.Started = true
			case len(f) == 2 && f[0] == "FAULTS":
				ev.Faults, _ = strconv.Atoi(f[1])
				res.Finished = true
			case len(f) >= 2 && f[0] == "FLAG":
				_, ev.Flag, _ = strings.Cut(f[1], "=")
			}
		}
	}()
	var sig syscall.Signal
	switch p.Mode {
	case SIGINT:
		sig = syscall.SIGINT
	case SIGTERM:
		sig = syscall.SIGTERM
	case SIGKILL:
		sig = syscall.SIGKILL
	}
	var signalled atomic.Int64 // unix nanoseconds of the signal
	if sig != 0 {
		timer := time.AfterFunc(p.At, func() {
			signalled.Store(time.Now().UnixNano())
			_ = cmd.Process.Signal(sig)
		})
		defer timer.Stop()
	}
	exited := make(chan error, 1)
	go func() { <-lines; exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(hangAfter):
		res.Hung = true
		_ = syscall.Kill(-ev.PID, syscall.SIGKILL)
		err = <-exited
	}
	end := time.Now()
	res.Took = end.Sub(began)
	res.Exit = 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.Exit = ee.ExitCode()
	}
	if ns := signalled.Load(); p.Mode == SIGKILL && ns != 0 {
		end = time.Unix(0, ns) // the bound counts from the kill
	}
	// Poll until nothing is left or the settle time is up.
	faultsGone := false
	for {
		checked := time.Now()
		res.Leaks = chk.Check(ctx, ev)
		res.Settled = max(0, checked.Sub(end))
		if !faultsGone && res.Leaks.Count[KindFaults] == 0 {
			faultsGone, res.FaultsGone = true, res.Settled
		}
		if res.Leaks.Total() == 0 || time.Since(end) > cfg.Settle {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if res.FaultsGone > FaultBound && res.Leaks.Count[KindFaults] == 0 {
		res.Leaks.add(KindFaults, "a fault outlived its owner by %s (bound %s)", res.FaultsGone.Round(10*time.Millisecond), FaultBound)
	}
	if res.Leaks.Total() > 0 {
		fmt.Fprintf(logf, "leaks: %s\n", strings.Join(res.Leaks.Detail, "; "))
		chk.Remove(ctx, ev)
	}
	return res, nil
}
