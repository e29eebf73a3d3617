package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"
)

// tempPrefix names the user-data-dirs of this process's browsers, so leftovers
// of a process that died can be found and swept by the next pool.
func tempPrefix(pid int) string { return "gameday-chromium-" + strconv.Itoa(pid) + "-" }

// headlessFlags are the switches every pool browser starts with, on top of
// chromedp's defaults (headless, no first run, no background networking...).
var headlessFlags = map[string]any{
	"no-sandbox":                    true,
	"disable-gpu":                   true,
	"disable-quic":                  true,
	"no-first-run":                  true,
	"disable-background-networking": true,
	"disable-component-update":      true,
	"disable-sync":                  true,
	"disable-dev-shm-usage":         true,
}

// refusingProxy is where the browser sends traffic for hosts it may not
// reach: the discard port on loopback, where nothing listens, so such a
// request fails at once (net::ERR_PROXY_CONNECTION_FAILED) and no packet
// leaves the machine.
const refusingProxy = "http://127.0.0.1:9"

// trafficGuard keeps the browser on loopback (the traffic rule): Chromium
// never proxies loopback addresses, so only allowed hosts join them.
func trafficGuard(allow []string) map[string]any {
	flags := map[string]any{"proxy-server": refusingProxy}
	if len(allow) > 0 {
		flags["proxy-bypass-list"] = strings.Join(allow, ";")
	}
	return flags
}

// process is one running Chromium and everything to tear it down.
type process struct {
	gen         int
	dir         string
	pid         int
	allocCancel context.CancelFunc
	ctx         context.Context // the browser's root chromedp context
	cancel      context.CancelFunc
	lost        <-chan struct{} // closed when the connection to Chromium drops
	started     time.Time
	startTook   time.Duration
}

// startProcess starts Chromium with a fresh user-data-dir. The process is not
// bound to ctx (only the start is): the pool owns its lifetime, so every exit
// path goes through stop.
func startProcess(ctx context.Context, cfg PoolConfig, gen int) (*process, error) {
	dir, err := os.MkdirTemp("", tempPrefix(os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("create user data dir: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(cfg.ExecPath),
		chromedp.UserDataDir(dir),
	)
	for name, v := range headlessFlags {
		opts = append(opts, chromedp.Flag(name, v))
	}
	for name, v := range trafficGuard(cfg.AllowHosts) {
		opts = append(opts, chromedp.Flag(name, v))
	}
	for name, v := range cfg.Flags {
		opts = append(opts, chromedp.Flag(name, v))
	}
	p := &process{gen: gen, dir: dir, started: time.Now()}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	p.allocCancel = allocCancel
	p.ctx, p.cancel = chromedp.NewContext(allocCtx,
		chromedp.WithLogf(func(string, ...any) {}),
		chromedp.WithErrorf(func(string, ...any) {}))

	startCtx, stopStart := context.WithTimeout(ctx, cfg.StartTimeout)
	defer stopStart()
	startErr := make(chan error, 1)
	go func() { startErr <- chromedp.Do(p.ctx) }()
	select {
	case err = <-startErr:
	case <-startCtx.Done():
		err = startCtx.Err()
	}
	if err != nil {
		p.stop(5 * time.Second)
		return nil, fmt.Errorf("start %s: %w", cfg.ExecPath, err)
	}
	b := chromedp.FromContext(p.ctx).Browser
	if proc := b.Process(); proc != nil {
		p.pid = proc.Pid
	}
	p.lost = b.LostConnection
	p.startTook = time.Since(p.started)
	return p, nil
}

// dead reports whether the connection to the browser has dropped.
func (p *process) dead() bool {
	select {
	case <-p.lost:
		return true
	default:
		return false
	}
}

// stop closes the browser gracefully within grace, then kills it and every
// child still using its user-data-dir, and removes the directory. Safe to call
// twice.
func (p *process) stop(grace time.Duration) error {
	if p.lost == nil || !p.dead() {
		gctx, cancel := context.WithTimeout(p.ctx, grace)
		_ = chromedp.Cancel(gctx) // a kill follows; the graceful error adds nothing
		cancel()
	}
	p.cancel()
	p.allocCancel() // kills the process if still running and waits for it
	killUsing(p.dir)
	return removeDir(p.dir)
}

// killUsing SIGKILLs every process whose command line names dir as its
// user-data-dir (Chromium passes it to every child), until none is left.
func killUsing(dir string) {
	deadline := time.Now().Add(2 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if n := len(pidsUsing(dir, true)); n == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

// pidsUsing lists processes with "--user-data-dir=<dir>..." on their command
// line (a prefix match, so a pool prefix finds every browser of a process),
// killing them when kill is set.
func pidsUsing(dirPrefix string, kill bool) []int {
	want := []byte("--user-data-dir=" + dirPrefix)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
			if bytes.HasPrefix(arg, want) {
				if kill {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// removeDir removes dir, retrying while late children still write into it.
func removeDir(dir string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("remove user data dir: %w", err)
			}
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sweepStale removes the user-data-dirs (and kills the browsers) left by
// gameday processes that no longer run, e.g. after a hard crash of a test
// binary. Directories of live processes are left alone.
func sweepStale() error {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "gameday-chromium-*"))
	var errs []error
	for _, dir := range matches {
		rest := strings.TrimPrefix(filepath.Base(dir), "gameday-chromium-")
		owner, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || owner == os.Getpid() || syscall.Kill(owner, 0) == nil {
			continue
		}
		killUsing(dir)
		if err := removeDir(dir); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", dir, err))
		}
	}
	return errors.Join(errs...)
}

// LeftoverProcesses returns the PIDs of Chromium processes started by pools
// of this Go process that are still running (for leak checks in tests).
func LeftoverProcesses() []int {
	return pidsUsing(filepath.Join(os.TempDir(), tempPrefix(os.Getpid())), false)
}

// LeftoverDirs returns the user-data-dirs of pools of this Go process that
// still exist (for leak checks in tests).
func LeftoverDirs() []string {
	m, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix(os.Getpid())+"*"))
	return m
}
