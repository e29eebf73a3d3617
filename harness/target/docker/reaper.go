package docker

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/api/types/container"
	mnet "github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/sweeplog"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// The reaper is gameday's own Ryuk: one container per run, from the run's
// image (`gameday reaper`), with the engine's socket mounted. The process
// that started the run holds a TCP connection to it; when that connection
// closes without Stop — the process was SIGKILLed, crashed, or its test
// binary timed out — the reaper unpauses what was paused, removes every
// container and the network of the run, logs what it removed, and exits
// (it is started with AutoRemove, so it removes itself). Faults applied
// through the engine (pause, kill, partition at a sidecar) go with the
// run's containers, seconds after their owner died.
const (
	RoleReaper = "reaper" // the gameday.role of a run's reaper container
	// reaperLogDir is where the host's state directory is mounted, for
	// the sweep log.
	reaperLogDir = "/gameday-state"
	// reaperDialTimeout bounds connecting to a started reaper; it is
	// shorter than the reaper's own wait for its owner
	// (entrypoint.DefaultReaperConnectTimeout).
	reaperDialTimeout = 6 * time.Second
)

// reaperLink is the owner's end: while it is open, the run is alive.
type reaperLink struct {
	id   string
	conn net.Conn
}

// startReaper starts the run's reaper container and connects to it.
func (r *Running) startReaper(ctx context.Context) (*reaperLink, error) {
	sock, err := engineSocket()
	if err != nil {
		return nil, err
	}
	port := mnet.MustParsePort(strconv.Itoa(entrypoint.ReaperPort) + "/tcp")
	cfg := &container.Config{
		Image:        r.image,
		Cmd:          []string{"reaper", "-run", r.runID, "-listen", ":" + strconv.Itoa(entrypoint.ReaperPort)},
		Env:          []string{entrypoint.ReaperTokenEnv + "=" + r.token},
		Labels:       with(r.labels, LabelService, RoleReaper, LabelRole, RoleReaper),
		ExposedPorts: mnet.PortSet{port: struct{}{}},
		User:         strconv.Itoa(os.Getuid()) + ":" + strconv.Itoa(os.Getgid()),
	}
	hc := &container.HostConfig{
		AutoRemove:   true,
		Binds:        []string{sock + ":" + entrypoint.ReaperSocket},
		PortBindings: mnet.PortMap{port: []mnet.PortBinding{{HostIP: loopback, HostPort: "0"}}},
	}
	if gid, ok := fileGroup(sock); ok && gid != os.Getgid() {
		hc.GroupAdd = []string{strconv.Itoa(gid)}
	}
	if p, err := sweeplog.Path(); err == nil {
		hc.Binds = append(hc.Binds, filepath.Dir(p)+":"+reaperLogDir)
		cfg.Cmd = append(cfg.Cmd, "-log", reaperLogDir+"/"+sweeplog.FileName)
	}
	cctx, cancelCreate := engineCtx(ctx)
	defer cancelCreate()
	c, err := r.cli.ContainerCreate(cctx, client.ContainerCreateOptions{
		Name: r.runID + "-" + RoleReaper, Config: cfg, HostConfig: hc})
	if err != nil {
		return nil, fmt.Errorf("create reaper: %w", err)
	}
	link := &reaperLink{id: c.ID}
	if _, err := r.cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		return link, fmt.Errorf("start reaper: %w", err)
	}
	ins, err := r.inspectPublished(ctx, c.ID, []mnet.Port{port})
	if err != nil {
		return link, fmt.Errorf("reaper: %w", err)
	}
	addr := hostPort(ins.NetworkSettings.Ports[port][0].HostPort)
	conn, err := dialReaper(ctx, addr, r.runID, r.token)
	if err != nil {
		return link, err
	}
	link.conn = conn
	return link, nil
}

// dialReaper connects and shakes hands, retrying while the reaper's
// listener comes up.
func dialReaper(ctx context.Context, addr, runID, token string) (net.Conn, error) {
	deadline := time.Now().Add(reaperDialTimeout)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		conn, err := handshake(ctx, addr, runID, token)
		if err == nil {
			return conn, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to reaper at %s: %w", addr, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

func handshake(ctx context.Context, addr, runID, token string) (net.Conn, error) {
	d := net.Dialer{Timeout: time.Second, KeepAlive: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s %s %s\n", entrypoint.ReaperHello, runID, token); err != nil {
		conn.Close()
		return nil, err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		conn.Close()
		return nil, err
	}
	if strings.TrimSpace(line) != "ok" {
		conn.Close()
		return nil, fmt.Errorf("reaper refused: %s", strings.TrimSpace(line))
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

// close drops the link. Stop calls it after removing the run (the reaper
// included), so the reaper never sweeps a run that stopped normally.
func (l *reaperLink) close() {
	if l != nil && l.conn != nil {
		l.conn.Close()
	}
}

// engineSocket is the host path of the engine's unix socket, which the
// reaper mounts; a TCP engine cannot be reached that way.
func engineSocket() (string, error) {
	h := os.Getenv("DOCKER_HOST")
	if h == "" {
		h = client.DefaultDockerHost
	}
	p, ok := strings.CutPrefix(h, "unix://")
	if !ok {
		return "", fmt.Errorf("reaper needs the engine's unix socket, DOCKER_HOST is %s", h)
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("reaper: engine socket: %w", err)
	}
	return p, nil
}

func fileGroup(p string) (int, bool) {
	fi, err := os.Stat(p)
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Gid), true
}

// superviseRun starts the run's reaper and connects to it, before
// anything else of the run exists: a SIGKILL at any later point leaves the
// reaper to sweep. (Killed between the reaper's create and start calls, a
// created, never started reaper container is all that is left; the next
// Start's sweep or `gameday clean` removes it.) Without a reaper the run
// goes on, and the log says why.
func (r *Running) superviseRun(ctx context.Context) {
	t0 := time.Now()
	link, err := r.startReaper(ctx)
	r.reaper = link
	if err != nil && link != nil {
		// a reaper nobody talks to would sweep this live run: remove it
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		_, _ = r.cli.ContainerRemove(rctx, link.id, client.ContainerRemoveOptions{Force: true})
		cancel()
		r.reaper = nil
	}
	if err != nil {
		r.logf("docker: no reaper for run %s: %v (if this process dies, the run is swept at the next start or by `gameday clean`)", r.runID, err)
		return
	}
	r.logf("docker: reaper of run %s watching after %s", r.runID, round(time.Since(t0)))
}

// reapedRuns returns the runs whose reaper container is running: a dead
// one of those is being swept by its reaper (which always exits after its
// sweep), so Sweep leaves it alone rather than killing the reaper midway.
func reapedRuns(ctx context.Context, cli *client.Client) (map[string]bool, error) {
	f := client.Filters{}.Add("label", LabelRole+"="+RoleReaper).Add("status", "running")
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list reapers: %w", err)
	}
	out := map[string]bool{}
	for _, c := range cs.Items {
		out[c.Labels[LabelRun]] = true
	}
	return out, nil
}
