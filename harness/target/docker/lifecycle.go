package docker

import (
	"context"
	"fmt"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Kill sends SIGKILL to the service's process. With a restart policy
// (WithRestartPolicy "on-failure", "always", ...) Docker restarts it, which
// shows up as a timeline.TargetRestart event; without one it stays down
// until Start. Its sidecar keeps running, so callers see refused upstream
// connections rather than DNS failures.
func (r *Running) Kill(ctx context.Context, svc string) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	if _, err := r.cli.ContainerKill(ctx, s.real, client.ContainerKillOptions{Signal: "SIGKILL"}); err != nil {
		return fmt.Errorf("kill %s: %w", svc, err)
	}
	return nil
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
