package fault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Timeout stops all data on every TCP connection to a service and closes
// the connection After it opens (Toxiproxy's timeout toxic): the caller
// sees a hang, then a closed connection.
type Timeout struct {
	After time.Duration // > 0; see Blackhole for a hang without end
}

// Kind is "timeout".
func (Timeout) Kind() string { return "timeout" }

// Validate refuses a missing, negative, unbounded or sub-millisecond delay.
func (t Timeout) Validate() error {
	errs := checkDuration(nil, "timeout", "after", t.After)
	if t.After < time.Millisecond {
		errs = append(errs, fmt.Errorf("timeout: after %v is below 1ms (use blackhole for a hang without end)", t.After))
	}
	if t.After%time.Millisecond != 0 {
		errs = append(errs, errors.New("timeout: after must be whole milliseconds"))
	}
	return errors.Join(errs...)
}

// String reads like "tcp timeout: close after 5s".
func (t Timeout) String() string { return "tcp timeout: close after " + t.After.String() }

// Params is the fault in ParseSpec's vocabulary.
func (t Timeout) Params() map[string]string {
	p := map[string]string{}
	putDuration(p, "after", t.After)
	return p
}

// Apply installs the timeout on service's proxy.
func (t Timeout) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPTimeout, Timeout: t.After}
	return applyTCP(ctx, r, "timeout", service, f, ttl)
}

// Blackhole swallows all data on every TCP connection to a service and
// never closes it (Toxiproxy's timeout toxic with timeout 0) until the
// injection ends.
type Blackhole struct{}

// Kind is "blackhole".
func (Blackhole) Kind() string { return "blackhole" }

// Validate never fails: Blackhole has no parameters.
func (Blackhole) Validate() error { return nil }

// String is "tcp blackhole".
func (Blackhole) String() string { return "tcp blackhole" }

// Params is empty.
func (Blackhole) Params() map[string]string { return map[string]string{} }

// Apply installs the blackhole on service's proxy.
func (Blackhole) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPTimeout}
	return applyTCP(ctx, r, "blackhole", service, f, ttl)
}

func (Timeout) slot() string   { return tcpSlot }
func (Blackhole) slot() string { return tcpSlot }
