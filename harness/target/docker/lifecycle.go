package docker

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Kill sends SIGKILL to the service's process, as a crash would. With a
// restart policy (WithRestartPolicy "on-failure", "always", ...) Docker
// restarts it — a timeline.TargetRestart event — and without one it stays
// down until Start. Its sidecar keeps running, so callers see refused
// upstream connections rather than DNS failures.
//
// The engine treats `docker kill` as a deliberate stop and never applies
// the restart policy after it, so when the container's process is visible
// from here (a local engine, enough privilege) Kill signals it directly,
// like the kernel's OOM killer; otherwise it falls back to the engine's
// kill, after which only Start brings the service back.
func (r *Running) Kill(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	if r.opts.restartPolicy != "" && r.opts.restartPolicy != "no" && r.killProcess(ctx, s.real) {
		return nil
	}
	if _, err := r.cli.ContainerKill(ctx, s.real, client.ContainerKillOptions{Signal: "SIGKILL"}); err != nil {
		return fmt.Errorf("kill %s: %w", svc, err)
	}
	return nil
}

// killProcess SIGKILLs the container's main process through the host's
// process table, after checking that the PID the engine reports is that
// container's (its cgroup path names the container).
func (r *Running) killProcess(ctx context.Context, id string) bool {
	ins, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || !ins.Container.State.Running || ins.Container.State.Pid <= 0 {
		return false
	}
	pid := ins.Container.State.Pid
	cg, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	if err != nil || !strings.Contains(string(cg), ins.Container.ID) {
		return false
	}
	return syscall.Kill(pid, syscall.SIGKILL) == nil
}

// Start starts a stopped or killed service again (nothing when it runs).
func (r *Running) Start(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("start %s: %w", svc, err)
	}
	if ins.Container.State.Running || ins.Container.State.Restarting {
		return nil
	}
	r.noteManualStart(svc)
	if _, err := r.cli.ContainerStart(ctx, s.real, client.ContainerStartOptions{}); err != nil {
		r.takeManualStart(svc)
		return fmt.Errorf("start %s: %w", svc, err)
	}
	if s.layout == layoutAlias {
		// A container with an endpoint of its own may come back with
		// another address: the sidecars must still name it as a caller.
		if err := r.refreshIP(ctx, s); err != nil {
			return fmt.Errorf("start %s: %w", svc, err)
		}
		if err := r.registerCallers(ctx); err != nil {
			return fmt.Errorf("start %s: %w", svc, err)
		}
	}
	return nil
}

// Pause freezes the service's processes (cgroup freezer): its sidecar
// still accepts connections, but nothing answers them.
func (r *Running) Pause(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	if _, err := r.cli.ContainerPause(ctx, s.real, client.ContainerPauseOptions{}); err != nil {
		return fmt.Errorf("pause %s: %w", svc, err)
	}
	return nil
}

// Unpause thaws a paused service. Unpausing a running service does nothing.
func (r *Running) Unpause(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{})
	if err != nil {
		return fmt.Errorf("unpause %s: %w", svc, err)
	}
	if !ins.Container.State.Paused {
		return nil
	}
	if _, err := r.cli.ContainerUnpause(ctx, s.real, client.ContainerUnpauseOptions{}); err != nil {
		return fmt.Errorf("unpause %s: %w", svc, err)
	}
	return nil
}

func isNotFound(err error) bool { return errdefs.IsNotFound(err) }

// removalInProgress is the engine's answer to a removal racing another
// one (a sweeper, a reaper): the container is on its way out either way.
func removalInProgress(err error) bool {
	return errdefs.IsConflict(err) && strings.Contains(err.Error(), "already in progress")
}
