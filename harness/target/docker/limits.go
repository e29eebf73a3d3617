package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/gameday-dev/gameday/harness/target"
)

// SetMemoryLimit sets the service's hard memory limit (no swap); bytes <= 0
// lifts it to all of the engine host's memory. Lowering it below what the
// service uses gets it OOM-killed — or refused by the kernel, which is
// returned as an error.
func (r *Running) SetMemoryLimit(ctx context.Context, svc string, bytes int64) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	res := container.Resources{Memory: bytes, MemorySwap: bytes}
	if bytes <= 0 {
		// An update cannot drop a limit (0 keeps it, -1 is refused as
		// below the engine's minimum), so, as SetCPULimit does with CPUs,
		// the limit becomes the host's whole memory.
		info, err := r.cli.Info(ctx, client.InfoOptions{})
		if err != nil {
			return fmt.Errorf("set memory limit of %s: %w", svc, err)
		}
		res.Memory, res.MemorySwap = info.Info.MemTotal, info.Info.MemTotal
	}
	if _, err := r.cli.ContainerUpdate(ctx, s.real, client.ContainerUpdateOptions{Resources: &res}); err != nil {
		return fmt.Errorf("set memory limit of %s: %w", svc, err)
	}
	return nil
}

// SetCPULimit limits the service to cpus CPUs (e.g. 0.25); cpus <= 0
// gives it every CPU of the engine's host back.
func (r *Running) SetCPULimit(ctx context.Context, svc string, cpus float64) error {
	s, err := r.service(svc)
	if err != nil {
		return err
	}
	if cpus <= 0 {
		info, err := r.cli.Info(ctx, client.InfoOptions{})
		if err != nil {
			return fmt.Errorf("set cpu limit of %s: %w", svc, err)
		}
		cpus = float64(info.Info.NCPU)
	}
	res := container.Resources{NanoCPUs: int64(cpus * 1e9)}
	if _, err := r.cli.ContainerUpdate(ctx, s.real, client.ContainerUpdateOptions{Resources: &res}); err != nil {
		return fmt.Errorf("set cpu limit of %s: %w", svc, err)
	}
	return nil
}

// State reports the service container's state. Restarts counts restarts by
// the restart policy; OOMKilled is true once the service has been
// OOM-killed during the run, even after it restarted (the engine forgets it
// at the restart); MemoryBytes is its current memory use.
func (r *Running) State(ctx context.Context, svc string) (target.State, error) {
	s, err := r.service(svc)
	if err != nil {
		return target.State{}, err
	}
	ins, err := r.cli.ContainerInspect(ctx, s.real, client.ContainerInspectOptions{})
	if err != nil {
		return target.State{}, fmt.Errorf("state of %s: %w", svc, err)
	}
	c := ins.Container
	st := target.State{
		Running:   c.State.Running && !c.State.Paused,
		Restarts:  c.RestartCount,
		OOMKilled: c.State.OOMKilled || r.oomKills(svc) > 0,
	}
	st.StartedAt, _ = time.Parse(time.RFC3339Nano, c.State.StartedAt)
	st.FinishedAt, _ = time.Parse(time.RFC3339Nano, c.State.FinishedAt)
	if c.State.Running {
		st.MemoryBytes = r.memoryUsage(ctx, s.real)
	}
	return st, nil
}

// memoryUsage is the container's memory use from a one-shot stats read;
// 0 when the engine does not say.
func (r *Running) memoryUsage(ctx context.Context, id string) int64 {
	res, err := r.cli.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: false, IncludePreviousSample: false})
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		return 0
	}
	return int64(st.MemoryStats.Usage)
}
