package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// tcpTarget is where a TCP kind goes: the running system's TCPFaulter, or
// else the TCPFaultProxy in front of the service.
type tcpTarget struct {
	add    func(ctx context.Context, f proxy.TCPFault, ttl time.Duration) error
	remove func(ctx context.Context) error
}

func findTCP(r target.Running, kind, service string) (tcpTarget, error) {
	if tf, ok := r.(target.TCPFaulter); ok {
		return tcpTarget{
			add: func(ctx context.Context, f proxy.TCPFault, ttl time.Duration) error {
				return tf.AddToxic(ctx, service, f, ttl)
			},
			remove: func(ctx context.Context) error { return tf.RemoveToxics(ctx, service) },
		}, nil
	}
	fp, err := faultProxy(r, kind, service)
	if err != nil {
		return tcpTarget{}, err
	}
	tp, ok := fp.(target.TCPFaultProxy)
	if !ok {
		return tcpTarget{}, fmt.Errorf("%s fault: the %s target's proxy has no tcp faults: %w", kind, r.Kind(), target.ErrUnsupported)
	}
	return tcpTarget{add: tp.AddToxic, remove: tp.RemoveToxics}, nil
}

// applyTCP installs f in front of service; ttl bounds it at the proxy. The
// Revert clears every TCP fault of the service, which is why the Injector
// lets a service hold one TCP fault at a time.
func applyTCP(ctx context.Context, r target.Running, kind, service string, f proxy.TCPFault, ttl time.Duration) (Revert, error) {
	t, err := findTCP(r, kind, service)
	if err != nil {
		return nil, err
	}
	if err := t.add(ctx, f, ttl); err != nil {
		return nil, fmt.Errorf("set %s fault on %s: %w", kind, service, err)
	}
	return func(ctx context.Context) error {
		if err := t.remove(ctx); err != nil {
			return fmt.Errorf("clear %s fault on %s: %w", kind, service, err)
		}
		return nil
	}, nil
}

// tcpSlot: all TCP kinds share one slot per service (see applyTCP).
const tcpSlot = "tcp"
