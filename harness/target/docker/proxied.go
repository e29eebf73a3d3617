package docker

import (
	"context"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Proxy returns the remote control of the service's sidecar.
func (r *Running) Proxy(svc string) (target.FaultProxy, error) {
	return nil, target.ErrUnsupported
}

// Edges returns caller→callee request counts across all sidecars.
func (r *Running) Edges(ctx context.Context) ([]proxy.Edge, error) {
	return nil, target.ErrUnsupported
}

// Partition cuts from → to at to's sidecar.
func (r *Running) Partition(ctx context.Context, from, to string) error { return target.ErrUnsupported }

// Heal undoes Partition.
func (r *Running) Heal(ctx context.Context, from, to string) error { return target.ErrUnsupported }

func (r *Running) registerCallers(ctx context.Context) error { return nil }
