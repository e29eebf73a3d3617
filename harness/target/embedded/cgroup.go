package embedded

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gameday-dev/gameday/harness/target"
)

// cgroupRoot is where the cgroup hierarchies are mounted.
const cgroupRoot = "/sys/fs/cgroup"

// cpuPeriod is the CFS period a CPU limit is expressed in (the kernel's
// default, 100 ms).
const cpuPeriod = 100000

// cgroup holds one process service's programs so their memory and CPU can
// be limited: cgroup v2 (one directory with the memory and cpu
// controllers) or, on a v1 host, one directory in each of the memory and
// cpu hierarchies.
type cgroup struct {
	v2  bool
	mem string // v2: the only directory
	cpu string
}

// newCgroup creates the cgroup for service, or says what this machine
// lacks (wrapping target.ErrUnsupported).
func newCgroup(service string) (*cgroup, error) {
	sweepCgroups()
	name := fmt.Sprintf("gameday-%d-%s", os.Getpid(), service)
	if ctrl, err := os.ReadFile(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		have := strings.Fields(string(ctrl))
		for _, want := range []string{"memory", "cpu"} {
			if !contains(have, want) {
				return nil, fmt.Errorf("cgroup v2 has no %s controller: %w", want, target.ErrUnsupported)
			}
		}
		// The root may hand its controllers down (it is exempt from the
		// no-internal-processes rule); elsewhere this fails and says so.
		_ = os.WriteFile(filepath.Join(cgroupRoot, "cgroup.subtree_control"), []byte("+memory +cpu"), 0)
		dir := filepath.Join(cgroupRoot, name)
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create cgroup %s (needs root or a delegated cgroup): %v: %w", dir, err, target.ErrUnsupported)
		}
		if _, err := os.Stat(filepath.Join(dir, "memory.max")); err != nil {
			_ = os.Remove(dir)
			return nil, fmt.Errorf("cgroup %s has no memory controller enabled: %w", dir, target.ErrUnsupported)
		}
		return &cgroup{v2: true, mem: dir, cpu: dir}, nil
	}
	mem, cpu := filepath.Join(cgroupRoot, "memory", name), filepath.Join(cgroupRoot, "cpu", name)
	for _, dir := range []string{mem, cpu} {
		if _, err := os.Stat(filepath.Dir(dir)); err != nil {
			return nil, fmt.Errorf("no cgroup v2 and no v1 %s hierarchy at %s: %w", filepath.Base(filepath.Dir(dir)), filepath.Dir(dir), target.ErrUnsupported)
		}
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			_ = os.Remove(mem)
			return nil, fmt.Errorf("create cgroup %s (needs root): %v: %w", dir, err, target.ErrUnsupported)
		}
	}
	return &cgroup{mem: mem, cpu: cpu}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// prepare makes a v2 program start inside the cgroup (clone3's
// CLONE_INTO_CGROUP), so not even its first instruction runs outside. The
// returned func closes the cgroup's descriptor once the program started.
func (c *cgroup) prepare(cmd *exec.Cmd) (func(), error) {
	if !c.v2 {
		return func() {}, nil
	}
	f, err := os.Open(c.mem)
	if err != nil {
		return nil, fmt.Errorf("open cgroup: %w", err)
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	intoCgroup(cmd.SysProcAttr, int(f.Fd()))
	return func() { _ = f.Close() }, nil
}

// add moves pid into a v1 cgroup (a v2 program started there already).
func (c *cgroup) add(pid int) error {
	if c.v2 {
		return nil
	}
	for _, dir := range []string{c.mem, c.cpu} {
		if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
			return fmt.Errorf("move %d into cgroup %s: %w", pid, dir, err)
		}
	}
	return nil
}

// setMemory caps memory at bytes (0 lifts the cap).
func (c *cgroup) setMemory(bytes int64) error {
	file, val := "memory.limit_in_bytes", strconv.FormatInt(bytes, 10)
	if c.v2 {
		file = "memory.max"
	}
	if bytes <= 0 {
		val = "-1"
		if c.v2 {
			val = "max"
		}
	}
	return writeCgroup(c.mem, file, val)
}

// setCPU caps CPU time at cpus cores (0 lifts the cap).
func (c *cgroup) setCPU(cpus float64) error {
	quota := int64(cpus * cpuPeriod)
	if c.v2 {
		val := "max " + strconv.Itoa(cpuPeriod)
		if cpus > 0 {
			val = strconv.FormatInt(quota, 10) + " " + strconv.Itoa(cpuPeriod)
		}
		return writeCgroup(c.cpu, "cpu.max", val)
	}
	if cpus <= 0 {
		quota = -1
	}
	if err := writeCgroup(c.cpu, "cpu.cfs_period_us", strconv.Itoa(cpuPeriod)); err != nil {
		return err
	}
	return writeCgroup(c.cpu, "cpu.cfs_quota_us", strconv.FormatInt(quota, 10))
}

func writeCgroup(dir, file, val string) error {
	if err := os.WriteFile(filepath.Join(dir, file), []byte(val), 0); err != nil {
		return fmt.Errorf("cgroup %s=%s: %w", file, val, err)
	}
	return nil
}

// oomKilled reports whether the kernel OOM-killed a program of the cgroup.
func (c *cgroup) oomKilled() bool { return c.oomKills() > 0 }

// oomKills counts the kernel's OOM kills in the cgroup.
func (c *cgroup) oomKills() int {
	if c == nil {
		return 0
	}
	file := "memory.oom_control"
	if c.v2 {
		file = "memory.events"
	}
	b, err := os.ReadFile(filepath.Join(c.mem, file))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "oom_kill" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// memoryBytes is the cgroup's current memory use.
func (c *cgroup) memoryBytes() int64 {
	file := "memory.usage_in_bytes"
	if c.v2 {
		file = "memory.current"
	}
	b, err := os.ReadFile(filepath.Join(c.mem, file))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// remove deletes the (empty) cgroup directories. Safe twice.
func (c *cgroup) remove() {
	if c == nil {
		return
	}
	_ = os.Remove(c.mem)
	if c.cpu != c.mem {
		_ = os.Remove(c.cpu)
	}
}

// sweepCgroups removes the empty cgroups left by test processes that were
// killed before they could remove their own.
func sweepCgroups() {
	for _, pattern := range []string{"gameday-*", "memory/gameday-*", "cpu/gameday-*"} {
		dirs, _ := filepath.Glob(filepath.Join(cgroupRoot, pattern))
		for _, dir := range dirs {
			pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), "gameday-"), "-")
			if n, err := strconv.Atoi(pid); err == nil && n != os.Getpid() && syscall.Kill(n, 0) == syscall.ESRCH {
				_ = os.Remove(dir) // fails, harmlessly, while a program still runs in it
			}
		}
	}
}
