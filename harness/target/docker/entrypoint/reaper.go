package entrypoint

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/sweeplog"
)

// The reaper's protocol with the run's owner: the owner connects to
// ReaperPort, sends "gameday-reaper RUN TOKEN\n", reads "ok\n", and keeps
// the connection open for as long as the run lives.
const (
	ReaperPort     = 7070
	ReaperHello    = "gameday-reaper"
	ReaperTokenEnv = "GAMEDAY_REAPER_TOKEN" // the run's token, which the owner presents
	// DefaultReaperConnectTimeout is how long a reaper waits for its
	// owner's first connection before it treats the run as dead. The owner
	// gives up sooner (and then removes the reaper), so a reaper never
	// sweeps a live run.
	DefaultReaperConnectTimeout = 10 * time.Second
	// ReaperSocket is where the engine's socket is mounted in the reaper.
	ReaperSocket = "/var/run/docker.sock"
)

// Labels the reaper sweeps by: the docker target's (TestReaperSweepsRunOfKilledOwner
// fails if they drift apart).
const (
	labelRun   = "gameday.run"
	labelRole  = "gameday.role"
	labelSvc   = "gameday.service"
	roleReaper = "reaper"
)

// ReaperConfig is what a reaper runs with, inside its container.
type ReaperConfig struct {
	Run            string        // the run to sweep (required)
	Token          string        // the owner must present it (required)
	Listen         string        // where the owner connects; default ":7070"
	Socket         string        // the engine's unix socket; default ReaperSocket
	LogFile        string        // sweep log to append to; "" for none
	ConnectTimeout time.Duration // default DefaultReaperConnectTimeout
	Out            io.Writer     // one line per step; default discarded
}

// Validate reports every missing or wrong field.
func (c ReaperConfig) Validate() error {
	var errs []error
	if c.Run == "" {
		errs = append(errs, errors.New("reaper: -run is required"))
	}
	if c.Token == "" {
		errs = append(errs, fmt.Errorf("reaper: a token is required in $%s", ReaperTokenEnv))
	}
	if c.ConnectTimeout < 0 {
		errs = append(errs, fmt.Errorf("reaper: connect timeout %s is negative", c.ConnectTimeout))
	}
	return errors.Join(errs...)
}

// Reaper runs `reaper -run ID [-listen ADDR] [-log FILE]` (token from
// $GAMEDAY_REAPER_TOKEN): see Reap.
func Reaper(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reaper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg ReaperConfig
	fs.StringVar(&cfg.Run, "run", "", "the run to sweep when its owner is gone (required)")
	fs.StringVar(&cfg.Listen, "listen", fmt.Sprintf(":%d", ReaperPort), "where the run's owner connects")
	fs.StringVar(&cfg.Socket, "socket", ReaperSocket, "the engine's unix socket")
	fs.StringVar(&cfg.LogFile, "log", "", "sweep log file to append to")
	fs.DurationVar(&cfg.ConnectTimeout, "connect-timeout", DefaultReaperConnectTimeout, "sweep if the owner has not connected by then")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cfg.Token, cfg.Out = os.Getenv(ReaperTokenEnv), stdout
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "reaper: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	if err := Reap(ctx, cfg); err != nil {
		fmt.Fprintf(stderr, "reaper: %v\n", err)
		return ExitError
	}
	return ExitOK
}

// Reap waits for the run's owner to connect, then for that connection to
// close, and then sweeps the run: paused containers are unpaused first
// (the fault is reverted even if a removal fails), then every container of
// the run but the reaper and the run's networks are removed, and the sweep
// is logged. It returns without sweeping when ctx is cancelled: the engine
// stopping the reaper means the owner is removing the run itself.
func Reap(ctx context.Context, cfg ReaperConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.Listen == "" {
		cfg.Listen = fmt.Sprintf(":%d", ReaperPort)
	}
	if cfg.Socket == "" {
		cfg.Socket = ReaperSocket
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = DefaultReaperConnectTimeout
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("reaper: %w", err)
	}
	defer ln.Close()
	fmt.Fprintf(cfg.Out, "reaper: watching run %s on %s\n", cfg.Run, ln.Addr())
	reason, hadOwner := waitOwnerGone(ctx, ln, cfg)
	if ctx.Err() != nil {
		return nil
	}
	logf := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		fmt.Fprintln(cfg.Out, line)
		if cfg.LogFile != "" {
			if err := sweeplog.Append(cfg.LogFile, line); err != nil {
				fmt.Fprintf(cfg.Out, "reaper: %v\n", err)
			}
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	e := newEngine(cfg.Socket)
	err = sweepRun(sctx, e, cfg.Run, "reaper: "+reason, logf)
	// The engine finishes a create whose client died: a container the
	// owner was creating when it was killed can appear after the first
	// sweep listed the run (the soak found such "created" leftovers). An
	// owner that never connected created nothing after the reaper.
	for i := 0; hadOwner && i < lateSweeps; i++ {
		time.Sleep(lateSweepEvery)
		list, lerr := e.containers(sctx, labelRun+"="+cfg.Run)
		nets, nerr := e.networks(sctx, labelRun+"="+cfg.Run)
		if lerr == nil && nerr == nil && len(list) <= 1 && len(nets) == 0 {
			continue // only the reaper itself
		}
		err = sweepRun(sctx, e, cfg.Run, "reaper: late objects of the dead owner", logf)
	}
	return err
}

// The reaper sweeps again lateSweeps times, lateSweepEvery apart, for
// objects whose creation was in flight when the owner died.
const (
	lateSweeps     = 3
	lateSweepEvery = time.Second
)

// waitOwnerGone accepts connections until one shakes hands with the run's
// token, then reads it until it closes. It says why the run is dead ("" if
// ctx ended first) and whether an owner had connected.
func waitOwnerGone(ctx context.Context, ln net.Listener, cfg ReaperConfig) (string, bool) {
	owner := make(chan net.Conn, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if accept(c, cfg) {
				owner <- c
				return
			}
			c.Close()
		}
	}()
	var conn net.Conn
	select {
	case <-ctx.Done():
		return "", false
	case <-time.After(cfg.ConnectTimeout):
		return fmt.Sprintf("no owner connected within %s", cfg.ConnectTimeout), false
	case conn = <-owner:
	}
	defer conn.Close()
	gone := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, conn) // the owner sends nothing after the handshake
		close(gone)
	}()
	select {
	case <-ctx.Done():
		return "", true
	case <-gone:
		return "owner connection closed (its process is gone)", true
	}
}

// accept reads the owner's hello line and answers it.
func accept(c net.Conn, cfg ReaperConfig) bool {
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return false
	}
	if strings.TrimSpace(line) != ReaperHello+" "+cfg.Run+" "+cfg.Token {
		_, _ = io.WriteString(c, "wrong run or token\n")
		return false
	}
	if _, err := io.WriteString(c, "ok\n"); err != nil {
		return false
	}
	_ = c.SetDeadline(time.Time{})
	return true
}
