package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// procInstance is a program started for a process service. It runs in a
// process group of its own, so signals reach the children it forks too.
type procInstance struct {
	name  string
	cmd   *exec.Cmd
	grace time.Duration
	fin   chan struct{}
	err   error // Wait's result, set before fin closes
}

// runProcess starts the service's program with its arguments and
// environment expanded for its address, its output going to out.
func runProcess(s *service, out *logSink, cg *cgroup) (*procInstance, error) {
	p := s.spec.Process
	path, err := programPath(p.Path)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", s.spec.Name, err)
	}
	args := make([]string, len(p.Args))
	for i, a := range p.Args {
		args[i] = target.ExpandAddr(a, s.addr)
	}
	cmd := exec.Command(path, args...)
	if s.ns != nil {
		cmd = s.ns.command(path, args)
	}
	cmd.Dir = p.Dir
	cmd.Env = processEnv(p.InheritEnv, s.env)
	cmd.Stdout, cmd.Stderr = out, out
	grace := p.GracePeriod
	if grace == 0 {
		grace = target.DefaultGracePeriod
	}
	// A grandchild that keeps the output pipe open must not hold Wait.
	cmd.WaitDelay = grace
	release := func() {}
	if cg != nil {
		if release, err = cg.prepare(cmd); err != nil {
			return nil, fmt.Errorf("start %s: %w", s.spec.Name, err)
		}
	}
	err = spawn(cmd)
	release()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", s.spec.Name, err)
	}
	if cg != nil {
		if err := cg.add(cmd.Process.Pid); err != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
			return nil, fmt.Errorf("start %s: %w", s.spec.Name, err)
		}
	}
	pi := &procInstance{name: s.spec.Name, cmd: cmd, grace: grace, fin: make(chan struct{})}
	go func() {
		pi.err = cmd.Wait()
		close(pi.fin)
	}()
	return pi, nil
}

// programPath resolves a bare name through $PATH and a relative path
// against the working directory (cmd.Dir must not change its meaning).
func programPath(path string) (string, error) {
	if !strings.Contains(path, "/") {
		return exec.LookPath(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("program %s: %w", path, err)
	}
	return abs, nil
}

// processEnv is the program's environment: optionally the test's own, then
// the service's variables (which win), sorted for a stable log.
func processEnv(inherit bool, env target.Env) []string {
	var out []string
	if inherit {
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			if _, mine := env[k]; !mine {
				out = append(out, kv)
			}
		}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+env[k])
	}
	return out
}

// signal sends sig to the program's process group.
func (p *procInstance) signal(sig syscall.Signal) error {
	err := syscall.Kill(-p.cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil // already gone
	}
	return err
}

// stop sends SIGTERM (graceful) and SIGKILL after the grace period, or
// SIGKILL at once, and waits for the program to end.
func (p *procInstance) stop(ctx context.Context, graceful bool) error {
	select {
	case <-p.fin:
		return nil
	default:
	}
	if graceful {
		_ = p.signal(syscall.SIGTERM)
		_ = p.signal(syscall.SIGCONT) // a paused program cannot act on SIGTERM
		t := time.NewTimer(p.grace)
		defer t.Stop()
		select {
		case <-p.fin:
			return nil
		case <-t.C:
		case <-ctx.Done():
		}
	}
	if err := p.signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("SIGKILL: %w", err)
	}
	select {
	case <-p.fin:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("program did not end after SIGKILL: %w", ctx.Err())
	}
}

func (p *procInstance) done() <-chan struct{} { return p.fin }
func (p *procInstance) result() error         { return p.err }

// waitStopped waits up to d until the program's state is "stopped" (T in
// /proc/PID/stat); elsewhere than Linux it returns at once.
func (p *procInstance) waitStopped(d time.Duration) {
	stat := "/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat"
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(time.Millisecond) {
		b, err := os.ReadFile(stat)
		if err != nil {
			return
		}
		s := string(b)
		if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) > 0 && f[0] == "T" {
			return
		}
	}
}
