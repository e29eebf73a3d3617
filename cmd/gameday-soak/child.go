package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/target"
)

// ChildEnv carries the plan to a child run; BinaryEnv the docker image's
// binary, built once for the whole soak (see Config.Binary).
const (
	ChildEnv  = "GAMEDAY_SOAK_CHILD"
	BinaryEnv = "GAMEDAY_SOAK_BINARY"
)

// The short run's numbers.
const (
	loadRate     = 20              // requests/s: small, bounded
	loadDuration = 3 * time.Second // the whole load
	faultStart   = 500 * time.Millisecond
	faultLength  = 2 * time.Second
	flagKey      = "productCatalogFailure"
	faulted      = "product-catalog"
	entry        = "recommendation"
)

// MaybeChild runs the short run and exits when this process is a soak
// child (ChildEnv set); otherwise it returns. Call it first in main or in
// a test binary's init.
func MaybeChild() {
	s := os.Getenv(ChildEnv)
	if s == "" {
		return
	}
	p, err := decodePlan(s)
	if err != nil {
		fmt.Fprintf(os.Stderr, "soak child: plan %q: %v\n", s, err)
		os.Exit(2)
	}
	os.Exit(child(p, os.Stdout, os.Stderr))
}

// tinySystem is three demo services: the flag service, the catalogue and
// recommendation, which calls it.
func tinySystem() target.System {
	demo := fixtures.Demo()
	sys := target.System{Name: "soak", Binary: demo.Binary}
	if bin := os.Getenv(BinaryEnv); bin != "" {
		// built once by the soak: a child never runs the go command
		sys.Binary = func(context.Context) (string, error) { return bin, nil }
	}
	for _, name := range []string{harness.FlagService, faulted, entry} {
		s, _ := demo.Service(name)
		sys.Services = append(sys.Services, s)
	}
	return sys
}

func child(p Plan, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if p.Mode == CtxTimeout {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.At)
		defer cancel()
	}
	began := time.Now()
	r := harness.NewRunner(ctx, "soak", func(s string) { fmt.Fprintln(stderr, s) })
	// trip fails the body the planned way once its moment has come.
	trip := func(t harness.T) {
		if time.Since(began) < p.At {
			return
		}
		switch p.Mode {
		case Panic:
			panic("soak: planned test panic")
		case Fatal:
			t.Fatalf("soak: planned t.Fatal")
		}
	}
	// wait sleeps d, tripping on the way.
	wait := func(t harness.T, d time.Duration) {
		end := time.Now().Add(d)
		for time.Now().Before(end) && t.Context().Err() == nil {
			trip(t)
			time.Sleep(20 * time.Millisecond)
		}
	}
	r.Run(func(t harness.T) {
		env := harness.Start(t, tinySystem(), harness.WithTarget(p.Target),
			harness.WithLog(func(s string) { fmt.Fprintln(stderr, s) }))
		for _, s := range env.System.Services {
			if addr, err := env.Addr(s.Name); err == nil {
				fmt.Fprintf(stdout, "ADDR %s %s\n", s.Name, addr)
			}
		}
		// Runs after the flag and fault cleanups (registered later), before
		// the system stops: what a finished run leaves set.
		t.Cleanup(func() { report(env, stdout) })
		trip(t)
		env.SetFlag(t, flagKey, "on")
		trip(t)
		url := env.URL(entry) + "/recommendations"
		run := env.Load(t, load.Scenarios{"soak": load.ConstantArrivalRate{
			Rate: loadRate, Duration: loadDuration, PreAllocatedVUs: 10, MaxVUs: 20,
			Exec: func(ctx context.Context, vu *load.VU) error {
				_, err := vu.HTTP.Get(ctx, url)
				return err
			}}}, nil)
		var f fault.Fault = fault.HTTP{ErrorRate: 0.5, ErrorCode: 503}
		if p.Target == "docker" {
			f = fault.Pause{}
		}
		env.Inject(t, faulted, f, fault.During(faultStart, faultLength))
		wait(t, loadDuration+200*time.Millisecond)
		run.Wait(t)
		trip(t)
	})
	if p.Mode == Leak {
		leak(stderr)
	}
	fmt.Fprintf(stdout, "DONE failed=%v\n", r.Failed())
	if r.Failed() || ctx.Err() != nil {
		return 1
	}
	return 0
}

// report prints the flag's variant and the faults still active.
func report(env *harness.Env, stdout io.Writer) {
	active := 0
	for _, inj := range env.Faults.Injections() {
		if inj.Active() {
			active++
		}
	}
	fmt.Fprintf(stdout, "FAULTS %d\n", active)
	admin, err := env.FlagAdmin()
	if err != nil {
		fmt.Fprintf(stdout, "FLAG %s=? (%v)\n", flagKey, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := admin.List(ctx)
	if err != nil {
		fmt.Fprintf(stdout, "FLAG %s=? (%v)\n", flagKey, err)
		return
	}
	for _, f := range list {
		if f.Key == flagKey {
			fmt.Fprintf(stdout, "FLAG %s=%s\n", flagKey, f.DefaultVariant)
		}
	}
}

// leak leaves what a careless harness would: a process that outlives the
// run and a file in its temp dir.
func leak(stderr io.Writer) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "soak leak: %v\n", err)
	}
	if err := os.WriteFile(filepath.Join(os.TempDir(), "soak-leaked-file"), []byte("x"), 0o600); err != nil {
		fmt.Fprintf(stderr, "soak leak: %v\n", err)
	}
}
