package fault

import (
	"context"
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
)

// applyKill kills service; the Revert starts it again unless NoRestart.
func applyKill(ctx context.Context, k Kill, r target.Running, service string) (Revert, error) {
	kr, ok := r.(target.Killer)
	if !ok {
		return nil, unsupported("kill", "kill", r)
	}
	if err := kr.Kill(ctx, service); err != nil {
		return nil, fmt.Errorf("kill %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if k.NoRestart {
			return nil
		}
		if err := kr.Start(ctx, service); err != nil {
			return fmt.Errorf("restart %s: %w", service, err)
		}
		return nil
	}, nil
}

// applyPause pauses service; the Revert unpauses it.
func applyPause(ctx context.Context, r target.Running, service string) (Revert, error) {
	p, ok := r.(target.Pauser)
	if !ok {
		return nil, unsupported("pause", "pause", r)
	}
	if err := p.Pause(ctx, service); err != nil {
		return nil, fmt.Errorf("pause %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := p.Unpause(ctx, service); err != nil {
			return fmt.Errorf("unpause %s: %w", service, err)
		}
		return nil
	}, nil
}

// applyPartition cuts from → to; the Revert heals it.
func applyPartition(ctx context.Context, p Partition, r target.Running, service string) (Revert, error) {
	from, to, err := p.Ends(service)
	if err != nil {
		return nil, err
	}
	pr, ok := r.(target.Partitioner)
	if !ok {
		return nil, unsupported("partition", "partition", r)
	}
	if err := pr.Partition(ctx, from, to); err != nil {
		return nil, fmt.Errorf("partition %s → %s: %w", from, to, err)
	}
	return func(ctx context.Context) error {
		if err := pr.Heal(ctx, from, to); err != nil {
			return fmt.Errorf("heal %s → %s: %w", from, to, err)
		}
		return nil
	}, nil
}

// applyMemoryLimit sets the limit; the Revert lifts it (0 means no limit).
func applyMemoryLimit(ctx context.Context, m MemoryLimit, r target.Running, service string) (Revert, error) {
	l, ok := r.(target.Limiter)
	if !ok {
		return nil, unsupported("memory-limit", "resource limit", r)
	}
	if err := l.SetMemoryLimit(ctx, service, m.Bytes); err != nil {
		return nil, fmt.Errorf("limit memory of %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := l.SetMemoryLimit(ctx, service, 0); err != nil {
			return fmt.Errorf("lift memory limit of %s: %w", service, err)
		}
		return nil
	}, nil
}

// applyCPULimit sets the limit; the Revert lifts it (0 means no limit).
func applyCPULimit(ctx context.Context, c CPULimit, r target.Running, service string) (Revert, error) {
	l, ok := r.(target.Limiter)
	if !ok {
		return nil, unsupported("cpu-limit", "resource limit", r)
	}
	if err := l.SetCPULimit(ctx, service, c.CPUs); err != nil {
		return nil, fmt.Errorf("limit cpu of %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := l.SetCPULimit(ctx, service, 0); err != nil {
			return fmt.Errorf("lift cpu limit of %s: %w", service, err)
		}
		return nil
	}, nil
}
