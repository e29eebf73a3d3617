package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// Health polling: a GET through the sidecar is cheap, so it is tried
// often (a service is usually up within tens of milliseconds of its
// start); an exec probe costs the engine a runc exec, so it is tried less
// often, as is the inspect that notices a service which exited.
const (
	healthPoll     = 25 * time.Millisecond
	execProbePoll  = 100 * time.Millisecond
	exitCheckEvery = 500 * time.Millisecond
)

// waitHealthy waits until the service answers: its Health path returns 200
// through the sidecar, or — for services without one — `gameday serve
// -probe` connects to its port: run inside its container in the shared
// layout; in the alias layout run inside its sidecar, against the
// container's internal alias and then the sidecar's own port (a team's
// image has no gameday binary, and a published port answers as soon as the
// engine's port proxy does, before the program listens — which can fool a
// wait strategy checked from the host). A container that exits meanwhile
// fails within exitCheckEvery, with its last log lines.
func (r *Running) waitHealthy(ctx context.Context, s *service) error {
	ctx, cancel := context.WithTimeout(ctx, r.opts.healthTimeout)
	defer cancel()
	hc := netguard.Client(time.Second)
	defer hc.CloseIdleConnections()
	poll := healthPoll
	probe := func() (bool, error) {
		if s.spec.Health == "" && s.layout == layoutAlias {
			ok, err := r.execProbe(ctx, s.proxy, s.upstream)
			if !ok || err != nil {
				return ok, err
			}
			return r.execProbe(ctx, s.proxy, "127.0.0.1:"+strconv.Itoa(s.port))
		}
		if s.spec.Health == "" {
			return r.execProbe(ctx, s.real, "127.0.0.1:"+strconv.Itoa(UpstreamPort))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+s.spec.Health, nil)
		if err != nil {
			return false, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	}
	if s.spec.Health == "" {
		poll = execProbePoll
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	var checked time.Time
	for {
		ok, err := probe()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Since(checked) >= exitCheckEvery {
			checked = time.Now()
			ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{})
			if err == nil && !ins.Container.State.Running && !ins.Container.State.Restarting {
				return fmt.Errorf("exited with code %d before it was healthy: %s",
					ins.Container.State.ExitCode, r.logTail(context.WithoutCancel(ctx), s.real, 20))
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not healthy after %s: %w; logs: %s", r.opts.healthTimeout, ctx.Err(),
				r.logTail(context.WithoutCancel(ctx), s.real, 20))
		case <-t.C:
		}
	}
}

// execProbe runs `gameday serve -probe addr` in the container; exit 0 means
// something accepts connections at addr.
func (r *Running) execProbe(ctx context.Context, id, addr string) (bool, error) {
	ex, err := r.cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: []string{binaryPathInImage, "serve", "-probe", addr}})
	if err != nil {
		return false, nil // not running yet (or restarting): try again
	}
	if _, err := r.cli.ExecStart(ctx, ex.ID, client.ExecStartOptions{Detach: true}); err != nil {
		return false, nil
	}
	for {
		in, err := r.cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
		if err != nil {
			return false, err
		}
		if !in.Running {
			return in.ExitCode == 0, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// logTail returns the last n lines a container printed, for error messages.
func (r *Running) logTail(ctx context.Context, id string, n int) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	rc, err := r.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: strconv.Itoa(n)})
	if err != nil {
		return "(no logs: " + err.Error() + ")"
	}
	defer rc.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, rc); err != nil && !errors.Is(err, context.Canceled) {
		return "(logs: " + err.Error() + ")"
	}
	s := strings.TrimSpace(out.String())
	if s == "" {
		return "(no output)"
	}
	return s
}
