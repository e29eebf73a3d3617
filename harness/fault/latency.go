package fault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// Latency delays the data of every TCP connection to a service by Latency
// ± Jitter (Toxiproxy's latency toxic): the fault for opaque protocols
// such as Kafka's, where HTTP delays do not apply.
type Latency struct {
	Latency time.Duration
	Jitter  time.Duration // at most Latency
}

// Kind is "latency".
func (Latency) Kind() string { return "latency" }

// Validate refuses a missing, negative or unbounded latency and a jitter
// above it. Toxiproxy counts in milliseconds, so both must be whole ms.
func (l Latency) Validate() error {
	errs := checkDuration(nil, "latency", "latency", l.Latency)
	errs = checkDuration(errs, "latency", "jitter", l.Jitter)
	if l.Latency < time.Millisecond {
		errs = append(errs, fmt.Errorf("latency: latency %v is below 1ms", l.Latency))
	}
	if l.Jitter > l.Latency {
		errs = append(errs, fmt.Errorf("latency: jitter %v is above the latency %v", l.Jitter, l.Latency))
	}
	if l.Latency%time.Millisecond != 0 || l.Jitter%time.Millisecond != 0 {
		errs = append(errs, errors.New("latency: latency and jitter must be whole milliseconds"))
	}
	return errors.Join(errs...)
}

// String reads like "tcp latency: 100ms±10ms".
func (l Latency) String() string {
	s := "tcp latency: " + l.Latency.String()
	if l.Jitter > 0 {
		s += "±" + l.Jitter.String()
	}
	return s
}

// Params is the fault in ParseSpec's vocabulary.
func (l Latency) Params() map[string]string {
	p := map[string]string{}
	putDuration(p, "latency", l.Latency)
	putDuration(p, "jitter", l.Jitter)
	return p
}

// Apply installs the latency on service's proxy.
func (l Latency) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPLatency, Latency: l.Latency, Jitter: l.Jitter}
	return applyTCP(ctx, r, "latency", service, f, ttl)
}

func (Latency) slot() string { return tcpSlot }
