package fault

import (
	"context"
	"errors"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// ResetPeer resets every TCP connection to a service (RST, "connection
// reset by peer") After it opens, at once when zero (Toxiproxy's
// reset_peer toxic).
type ResetPeer struct {
	After time.Duration
}

// Kind is "reset-peer".
func (ResetPeer) Kind() string { return "reset-peer" }

// Validate refuses a negative, unbounded or sub-millisecond delay.
func (r ResetPeer) Validate() error {
	errs := checkDuration(nil, "reset-peer", "after", r.After)
	if r.After%time.Millisecond != 0 {
		errs = append(errs, errors.New("reset-peer: after must be whole milliseconds"))
	}
	return errors.Join(errs...)
}

// String reads like "tcp reset: after 1s".
func (r ResetPeer) String() string {
	if r.After == 0 {
		return "tcp reset: immediately"
	}
	return "tcp reset: after " + r.After.String()
}

// Params is the fault in ParseSpec's vocabulary.
func (r ResetPeer) Params() map[string]string {
	p := map[string]string{}
	putDuration(p, "after", r.After)
	return p
}

// Apply installs the resets on service's proxy.
func (r ResetPeer) Apply(ctx context.Context, rn target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPReset, Timeout: r.After}
	return applyTCP(ctx, rn, "reset-peer", service, f, ttl)
}

func (ResetPeer) slot() string { return tcpSlot }
