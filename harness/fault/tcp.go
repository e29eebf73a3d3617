package fault

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
)

// tcpFault is what every TCP kind asks of a service's fault proxy: one
// Toxiproxy toxic (or the proxy switched off) on the service's connections.
type tcpFault struct {
	Toxic      string         // Toxiproxy toxic type, "" for Down
	Attributes map[string]int // the toxic's attributes, in Toxiproxy's units
	Down       bool           // refuse connections instead
}

// tcpFaultSetter is the capability a FaultProxy needs for TCP kinds.
type tcpFaultSetter interface {
	setTCPFault(ctx context.Context, f *tcpFault, ttl time.Duration) error
}

// applyTCP installs f on service's proxy; ttl bounds it at the proxy.
func applyTCP(ctx context.Context, r target.Running, kind, service string, f *tcpFault, ttl time.Duration) (Revert, error) {
	fp, err := faultProxy(r, kind, service)
	if err != nil {
		return nil, err
	}
	ts, ok := fp.(tcpFaultSetter)
	if !ok {
		return nil, fmt.Errorf("%s fault: the %s target's proxy has no tcp faults: %w", kind, r.Kind(), target.ErrUnsupported)
	}
	if err := ts.setTCPFault(ctx, f, ttl); err != nil {
		return nil, fmt.Errorf("set %s fault on %s: %w", kind, service, err)
	}
	return func(ctx context.Context) error {
		if err := ts.setTCPFault(ctx, nil, ttl); err != nil {
			return fmt.Errorf("clear %s fault on %s: %w", kind, service, err)
		}
		return nil
	}, nil
}

// ms is a duration in Toxiproxy's whole milliseconds.
func ms(d time.Duration) int { return int(d / time.Millisecond) }
