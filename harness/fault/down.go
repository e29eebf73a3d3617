package fault

import (
	"context"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Down takes a service's fault proxy down: new connections are refused and
// open ones closed, as if the service were gone, while its process keeps
// running (compare Kill).
type Down struct{}

// Kind is "down".
func (Down) Kind() string { return "down" }

// Validate never fails: Down has no parameters.
func (Down) Validate() error { return nil }

// String is "tcp down: connections refused".
func (Down) String() string { return "tcp down: connections refused" }

// Params is empty.
func (Down) Params() map[string]string { return map[string]string{} }

// Apply takes the proxy down; the Revert brings it back.
func (Down) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	return applyTCP(ctx, r, "down", service, proxy.TCPFault{Kind: proxy.TCPDown}, ttl)
}

func (Down) slot() string { return tcpSlot }
