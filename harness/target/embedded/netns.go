package embedded

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// netnsSubnet is where each namespace's /30 comes from: 10.213.0.0/16,
// private and rarely used. A /30 already routed on the host is skipped.
const netnsSubnet = "10.213."

// ErrNoNetns is wrapped by the error for a fixed-port process on a machine
// where gameday cannot create a network namespace.
var ErrNoNetns = errors.New("a fixed-port process needs a network namespace of its own")

// netns is a network namespace the run created for one fixed-port
// program: a holder process keeps it alive (and dies with the test, by its
// parent-death signal, which frees the namespace and its veth pair), and a
// veth pair links it to the host: hostIP on the host, nsIP inside.
type netns struct {
	holder  *exec.Cmd
	held    chan struct{}
	hostIf  string
	hostIP  string
	nsIP    string
	nsPath  string
	enterer string // nsenter
}

// geteuid is os.Geteuid (a variable so tests can play a non-root user).
var geteuid = os.Geteuid

// netnsSupport says why this machine cannot give a program its own
// network namespace, or nil when it can.
func netnsSupport() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("%w: needs Linux (this is %s)", ErrNoNetns, runtime.GOOS)
	}
	if euid := geteuid(); euid != 0 {
		return fmt.Errorf("%w: needs root (euid %d)", ErrNoNetns, euid)
	}
	for _, tool := range []string{"ip", "unshare", "nsenter"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: %s not found (Debian: iproute2, util-linux)", ErrNoNetns, tool)
		}
	}
	return nil
}

// newNetns creates a namespace linked to the host by a fresh veth pair.
func newNetns(ctx context.Context) (*netns, error) {
	if err := netnsSupport(); err != nil {
		return nil, err
	}
	unshare, _ := exec.LookPath("unshare")
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		return nil, fmt.Errorf("netns holder: %w", err)
	}
	holder := exec.Command(unshare, "--net", "--", sleep, "infinity")
	if err := spawn(holder); err != nil {
		return nil, fmt.Errorf("netns holder: %w", err)
	}
	n := &netns{holder: holder, held: make(chan struct{})}
	go func() {
		_ = holder.Wait()
		close(n.held)
	}()
	n.enterer, _ = exec.LookPath("nsenter")
	n.nsPath = "/proc/" + strconv.Itoa(holder.Process.Pid) + "/ns/net"
	if err := n.waitUnshared(ctx); err != nil {
		n.close()
		return nil, err
	}
	if err := n.link(ctx); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

// waitUnshared waits until the holder runs in a namespace other than ours.
func (n *netns) waitUnshared(ctx context.Context) error {
	mine, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		return fmt.Errorf("netns: %w", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if theirs, err := os.Readlink(n.nsPath); err == nil && theirs != mine {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("netns: holder %d never entered a namespace of its own", n.holder.Process.Pid)
}

// link creates the veth pair and addresses both ends.
func (n *netns) link(ctx context.Context) error {
	var buf [4]byte
	_, _ = rand.Read(buf[:])
	id := binary.BigEndian.Uint32(buf[:])
	name := fmt.Sprintf("gd%08x", id)
	n.hostIf = name + "h"
	pid := strconv.Itoa(n.holder.Process.Pid)
	for try := 0; ; try++ {
		_, _ = rand.Read(buf[:2])
		block := int(binary.BigEndian.Uint16(buf[:2])) & 0x3fff // 16384 /30s
		a, b := block>>6, (block&0x3f)<<2
		n.hostIP = fmt.Sprintf("%s%d.%d", netnsSubnet, a, b+1)
		n.nsIP = fmt.Sprintf("%s%d.%d", netnsSubnet, a, b+2)
		if !addrInUse(n.hostIP) && !addrInUse(n.nsIP) {
			break
		}
		if try == 20 {
			return fmt.Errorf("netns: no free /30 in %s0.0/16", netnsSubnet)
		}
	}
	steps := [][]string{
		{"ip", "link", "add", n.hostIf, "type", "veth", "peer", "name", name + "n", "netns", pid},
		{"ip", "addr", "add", n.hostIP + "/30", "dev", n.hostIf},
		{"ip", "link", "set", n.hostIf, "up"},
		{"nsenter", "--net=" + n.nsPath, "ip", "addr", "add", n.nsIP + "/30", "dev", name + "n"},
		{"nsenter", "--net=" + n.nsPath, "ip", "link", "set", name + "n", "up"},
		{"nsenter", "--net=" + n.nsPath, "ip", "link", "set", "lo", "up"},
	}
	for _, st := range steps {
		if out, err := exec.CommandContext(ctx, st[0], st[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("netns: %v: %w: %s", st, err, out)
		}
	}
	return nil
}

// addrInUse reports whether ip is already an address of this host.
func addrInUse(ip string) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.String() == ip {
			return true
		}
	}
	return false
}

// command runs path inside the namespace (nsenter execs it: same pid, so
// the parent-death signal and the process group carry over).
func (n *netns) command(path string, args []string) *exec.Cmd {
	return exec.Command(n.enterer, append([]string{"--net=" + n.nsPath, "--", path}, args...)...)
}

// close ends the holder; the kernel then frees the namespace and the veth
// pair once no program runs in it. Safe twice.
func (n *netns) close() {
	if n == nil || n.holder == nil || n.holder.Process == nil {
		return
	}
	_ = n.holder.Process.Signal(syscall.SIGKILL)
	<-n.held
	if n.hostIf != "" {
		_ = exec.Command("ip", "link", "del", n.hostIf).Run() // usually gone already
	}
}
