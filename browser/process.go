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

	"github.com/gameday-dev/gameday/harness/sweeplog"
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
	// Chromium's own temp files (org.chromium.Chromium.*, e.g. its
	// singleton socket) and its crash handler's database go inside the
	// user-data-dir too: the crash handlers then name the dir on their
	// command line, so killUsing finds them, and removing the dir removes
	// what a killed browser leaves in TMPDIR.
	tmp, conf := filepath.Join(dir, ".tmp"), filepath.Join(dir, ".config")
	for _, d := range []string{tmp, conf} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, fmt.Errorf("create user data dir: %w", err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(cfg.ExecPath),
		chromedp.UserDataDir(dir),
		chromedp.Env("TMPDIR="+tmp, "XDG_CONFIG_HOME="+conf),
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
// process still using its user-data-dir (renderers, zygotes, the crash
// handlers), waits until they are gone, and removes the directory. Safe to
// call twice.
func (p *process) stop(grace time.Duration) error {
	if p.lost == nil || !p.dead() {
		gctx, cancel := context.WithTimeout(p.ctx, grace)
		_ = chromedp.Cancel(gctx) // a kill follows; the graceful error adds nothing
		cancel()
	}
	p.cancel()
	p.allocCancel() // kills the process if still running and waits for it
	left := killUsing(p.dir)
	err := removeDir(p.dir)
	if len(left) > 0 {
		err = errors.Join(err, fmt.Errorf("chromium processes %v still running %s after the kill", left, killWait))
	}
	return err
}

// killWait bounds how long killUsing waits for killed processes to go.
const killWait = 5 * time.Second

// killUsing SIGKILLs every process whose command line names dir (as its
// user-data-dir, or a crash handler's database in it) until none is left,
// and returns those still there after killWait.
func killUsing(dir string) []int {
	deadline := time.Now().Add(killWait)
	var left []int
	for quiet := 0; quiet < 3; time.Sleep(10 * time.Millisecond) {
		if left = pidsUsing(dir, true); len(left) == 0 {
			quiet++
		} else {
			quiet = 0
		}
		if time.Now().After(deadline) {
			break
		}
	}
	return left
}

// dirFlags are the command-line flags through which a Chromium process
// names its user-data-dir (every browser child) or a path inside it (the
// crash handlers' database, with XDG_CONFIG_HOME pointing there).
var dirFlags = []string{"--user-data-dir=", "--database="}

// pidsUsing lists live processes with one of dirFlags followed by dirPrefix
// on their command line (a prefix match, so a pool prefix finds every
// browser of a process), killing them when kill is set. A zombie has no
// command line any more, so it is not listed.
func pidsUsing(dirPrefix string, kill bool) []int {
	var want [][]byte
	for _, f := range dirFlags {
		want = append(want, []byte(f+dirPrefix))
	}
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
		if usesDir(cmdline, want) {
			if kill {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			out = append(out, pid)
		}
	}
	return out
}

func usesDir(cmdline []byte, want [][]byte) bool {
	for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
		for _, w := range want {
			if bytes.HasPrefix(arg, w) {
				return true
			}
		}
	}
	return false
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
// binary, and Chromium's own temp dirs that no process uses any more.
// Directories of live processes are left alone. Each sweep is logged.
func sweepStale() error {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "gameday-chromium-*"))
	var errs []error
	for _, dir := range matches {
		rest := strings.TrimPrefix(filepath.Base(dir), "gameday-chromium-")
		owner, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || owner == os.Getpid() || syscall.Kill(owner, 0) == nil {
			continue
		}
		killed := killUsing(dir)
		if err := removeDir(dir); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", dir, err))
			continue
		}
		sweeplog.Logf(nil, "browser: swept %s of dead process %d (%d processes still running)", dir, owner, len(killed))
	}
	return errors.Join(append(errs, sweepChromiumTemp(os.TempDir()))...)
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
