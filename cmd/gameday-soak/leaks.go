package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target/docker"
)

// Leak kinds, the table's columns.
const (
	KindContainers = "containers"
	KindNetworks   = "networks"
	KindVolumes    = "volumes"
	KindProcesses  = "processes"
	KindPorts      = "ports"
	KindTempDirs   = "tempdirs"
	KindFaults     = "faults"
	KindFlags      = "flags"
)

// Kinds are the leak kinds in table order.
var Kinds = []string{KindContainers, KindNetworks, KindVolumes, KindProcesses, KindPorts, KindTempDirs, KindFaults, KindFlags}

// Leaks counts what a finished run left, by kind, with a line per item.
type Leaks struct {
	Count  map[string]int
	Detail []string
}

// Total is the number of leaked items.
func (l Leaks) Total() int {
	n := 0
	for _, c := range l.Count {
		n += c
	}
	return n
}

func (l *Leaks) add(kind, format string, args ...any) {
	if l.Count == nil {
		l.Count = map[string]int{}
	}
	l.Count[kind]++
	l.Detail = append(l.Detail, kind+": "+fmt.Sprintf(format, args...))
}

// Evidence is what the parent knows of a finished child.
type Evidence struct {
	PID      int      // the child; its process group has the same id
	TempDir  string   // its TMPDIR, created empty for it
	Addrs    []string // host:port of every service it printed
	Faults   int      // active faults it reported at the end (-1: never reported)
	Flag     string   // the flag's variant it reported at the end ("": never)
	FlagFile string   // the demo's flag file, which must not change
	FlagSum  [32]byte // its hash before the run
}

// Checker finds leaks; the Docker client is optional (nil: no engine).
type Checker struct {
	Docker *client.Client
	host   string
}

// NewChecker returns a checker with a Docker client when an engine answers.
func NewChecker(ctx context.Context) *Checker {
	c := &Checker{}
	c.host, _ = os.Hostname()
	if docker.Available(ctx) == nil {
		if cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation()); err == nil {
			c.Docker = cli
		}
	}
	return c
}

// Close releases the Docker client.
func (c *Checker) Close() {
	if c.Docker != nil {
		c.Docker.Close()
	}
}

// Check looks for everything the run of ev may have left.
func (c *Checker) Check(ctx context.Context, ev Evidence) Leaks {
	var l Leaks
	if c.Docker != nil {
		f := client.Filters{}.Add("label", docker.LabelPID+"="+strconv.Itoa(ev.PID)).Add("label", docker.LabelHost+"="+c.host)
		if cs, err := c.Docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f}); err == nil {
			for _, ct := range cs.Items {
				l.add(KindContainers, "%.12s %s (%s)", ct.ID, ct.Labels[docker.LabelService], ct.State)
				if ct.State == "paused" {
					l.add(KindFaults, "%s still paused", ct.Labels[docker.LabelService])
				}
			}
		}
		if ns, err := c.Docker.NetworkList(ctx, client.NetworkListOptions{Filters: f}); err == nil {
			for _, n := range ns.Items {
				l.add(KindNetworks, "%s", n.Name)
			}
		}
		if vs, err := c.Docker.VolumeList(ctx, client.VolumeListOptions{Filters: f}); err == nil {
			for _, v := range vs.Items {
				l.add(KindVolumes, "%s", v.Name)
			}
		}
	}
	for _, pid := range groupMembers(ev.PID) {
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		l.add(KindProcesses, "pid %d: %s", pid, strings.ReplaceAll(strings.TrimSpace(string(cmd)), "\x00", " "))
	}
	listening := listeningPorts()
	group := map[int]bool{}
	for _, pid := range groupMembers(ev.PID) {
		group[pid] = true
	}
	for _, a := range ev.Addrs {
		i := strings.LastIndexByte(a, ':')
		if i < 0 {
			continue
		}
		p, err := strconv.Atoi(a[i+1:])
		inode, ok := listening[p]
		if err != nil || !ok {
			continue
		}
		// A port the kernel already gave to another program is not ours:
		// only the run's processes, the engine's port proxy, or an owner
		// that cannot be seen count.
		owner, comm := socketOwner(inode)
		if owner == 0 || group[owner] || comm == "docker-proxy" {
			l.add(KindPorts, "%s still listening (pid %d %s)", a, owner, comm)
		}
	}
	if entries, err := os.ReadDir(ev.TempDir); err == nil {
		for _, e := range entries {
			l.add(KindTempDirs, "%s", filepath.Join(ev.TempDir, e.Name()))
		}
	}
	if ev.Faults > 0 {
		l.add(KindFaults, "%d faults active when the run ended", ev.Faults)
	}
	if ev.Flag != "" && ev.Flag != "off" {
		l.add(KindFlags, "%s=%s when the run ended", flagKey, ev.Flag)
	}
	if ev.FlagFile != "" {
		if sum, err := fileSum(ev.FlagFile); err != nil || sum != ev.FlagSum {
			l.add(KindFlags, "flag file %s changed (%v)", ev.FlagFile, err)
		}
	}
	return l
}

// Remove clears what a leaky run left, so it cannot spoil the next runs.
func (c *Checker) Remove(ctx context.Context, ev Evidence) {
	_ = syscall.Kill(-ev.PID, syscall.SIGKILL)
	if c.Docker != nil { // only this run's: other runs on the engine are not ours to sweep
		f := client.Filters{}.Add("label", docker.LabelPID+"="+strconv.Itoa(ev.PID)).Add("label", docker.LabelHost+"="+c.host)
		if cs, err := c.Docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f}); err == nil {
			for _, ct := range cs.Items {
				_, _ = c.Docker.ContainerRemove(ctx, ct.ID, client.ContainerRemoveOptions{Force: true})
			}
		}
		if ns, err := c.Docker.NetworkList(ctx, client.NetworkListOptions{Filters: f}); err == nil {
			for _, n := range ns.Items {
				_, _ = c.Docker.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{})
			}
		}
		if vs, err := c.Docker.VolumeList(ctx, client.VolumeListOptions{Filters: f}); err == nil {
			for _, v := range vs.Items {
				_, _ = c.Docker.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true})
			}
		}
	}
	entries, _ := os.ReadDir(ev.TempDir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(ev.TempDir, e.Name()))
	}
}

// groupMembers lists the live (not zombie) processes of process group pgid.
func groupMembers(pgid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:]) // state ppid pgrp ...
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			out = append(out, pid)
		}
	}
	return out
}

// listeningPorts returns the TCP ports in LISTEN state on this machine,
// with their socket inode.
func listeningPorts() map[int]string {
	out := map[int]string{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" { // 0A: TCP_LISTEN
				continue
			}
			if i := strings.LastIndexByte(fields[1], ':'); i >= 0 {
				if p, err := strconv.ParseInt(fields[1][i+1:], 16, 32); err == nil {
					out[int(p)] = fields[9]
				}
			}
		}
		fh.Close()
	}
	return out
}

// socketOwner finds the process holding the socket with inode (0 when
// none is visible) and its command name.
func socketOwner(inode string) (int, string) {
	want := "socket:[" + inode + "]"
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if t, err := os.Readlink(fd); err == nil && t == want {
			pidDir := filepath.Dir(filepath.Dir(fd))
			pid, _ := strconv.Atoi(filepath.Base(pidDir))
			comm, _ := os.ReadFile(filepath.Join(pidDir, "comm"))
			return pid, strings.TrimSpace(string(comm))
		}
	}
	return 0, ""
}

func fileSum(p string) ([32]byte, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}
