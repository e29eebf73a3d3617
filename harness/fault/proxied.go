package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/kind"
	"github.com/gameday-dev/gameday/harness/target"
)

// applyHTTP installs f on service's proxy; ttl bounds it at the proxy.
func applyHTTP(ctx context.Context, f HTTP, r target.Running, service string, ttl time.Duration) (Revert, error) {
	fp, err := faultProxy(r, "http", service)
	if err != nil {
		return nil, err
	}
	if err := fp.SetHTTPFault(ctx, &f, ttl); err != nil {
		return nil, fmt.Errorf("set http fault on %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := fp.SetHTTPFault(ctx, nil, ttl); err != nil {
			return fmt.Errorf("clear http fault on %s: %w", service, err)
		}
		return nil
	}, nil
}

// applyGRPC installs f on service's proxy; ttl bounds it at the proxy.
func applyGRPC(ctx context.Context, f GRPC, r target.Running, service string, ttl time.Duration) (Revert, error) {
	fp, err := faultProxy(r, "grpc", service)
	if err != nil {
		return nil, err
	}
	if err := fp.SetGRPCFault(ctx, &f, ttl); err != nil {
		return nil, fmt.Errorf("set grpc fault on %s: %w", service, err)
	}
	return func(ctx context.Context) error {
		if err := fp.SetGRPCFault(ctx, nil, ttl); err != nil {
			return fmt.Errorf("clear grpc fault on %s: %w", service, err)
		}
		return nil
	}, nil
}

// faultProxy finds the fault proxy in front of service.
func faultProxy(r target.Running, kind, service string) (target.FaultProxy, error) {
	px, ok := r.(target.Proxied)
	if !ok {
		return nil, unsupported(kind, "fault proxy", r)
	}
	fp, err := px.Proxy(service)
	if err != nil {
		return nil, fmt.Errorf("%s fault: proxy of %s: %w", kind, service, err)
	}
	return fp, nil
}

// tcpTarget is where a TCP kind goes: the running system's TCPFaulter, or
// else the TCPFaultProxy in front of the service.
type tcpTarget struct {
	add    func(ctx context.Context, f kind.TCP, ttl time.Duration) error
	remove func(ctx context.Context) error
}

func findTCP(r target.Running, name, service string) (tcpTarget, error) {
	if tf, ok := r.(target.TCPFaulter); ok {
		return tcpTarget{
			add: func(ctx context.Context, f kind.TCP, ttl time.Duration) error {
				return tf.AddToxic(ctx, service, f, ttl)
			},
			remove: func(ctx context.Context) error { return tf.RemoveToxics(ctx, service) },
		}, nil
	}
	fp, err := faultProxy(r, name, service)
	if err != nil {
		return tcpTarget{}, err
	}
	tp, ok := fp.(target.TCPFaultProxy)
	if !ok {
		return tcpTarget{}, fmt.Errorf("%s fault: the %s target's proxy has no tcp faults: %w", name, r.Kind(), target.ErrUnsupported)
	}
	return tcpTarget{add: tp.AddToxic, remove: tp.RemoveToxics}, nil
}

// applyTCP installs f in front of service; ttl bounds it at the proxy. The
// Revert clears every TCP fault of the service, which is why the Injector
// lets a service hold one TCP fault at a time.
func applyTCP(ctx context.Context, r target.Running, f kind.TCP, service string, ttl time.Duration) (Revert, error) {
	t, err := findTCP(r, f.Kind(), service)
	if err != nil {
		return nil, err
	}
	if err := t.add(ctx, f, ttl); err != nil {
		return nil, fmt.Errorf("set %s fault on %s: %w", f.Kind(), service, err)
	}
	return func(ctx context.Context) error {
		if err := t.remove(ctx); err != nil {
			return fmt.Errorf("clear %s fault on %s: %w", f.Kind(), service, err)
		}
		return nil
	}, nil
}
