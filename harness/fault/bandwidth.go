package fault

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// maxKBps bounds Bandwidth: 10 GB/s is no limit worth injecting.
const maxKBps = 10 << 20

// Bandwidth limits every TCP connection to a service to KBps kilobytes per
// second (Toxiproxy's bandwidth toxic).
type Bandwidth struct {
	KBps int64
}

// Kind is "bandwidth".
func (Bandwidth) Kind() string { return "bandwidth" }

// Validate refuses a rate outside 1 KB/s–10 GB/s.
func (b Bandwidth) Validate() error {
	if b.KBps <= 0 || b.KBps > maxKBps {
		return fmt.Errorf("bandwidth: %d KB/s is outside 1–%d", b.KBps, maxKBps)
	}
	return nil
}

// String reads like "tcp bandwidth: 10 KB/s".
func (b Bandwidth) String() string {
	return "tcp bandwidth: " + strconv.FormatInt(b.KBps, 10) + " KB/s"
}

// Params is the fault in ParseSpec's vocabulary.
func (b Bandwidth) Params() map[string]string {
	p := map[string]string{}
	putInt(p, "kbps", b.KBps)
	return p
}

// Apply installs the limit on service's proxy.
func (b Bandwidth) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPBandwidth, RateKBps: b.KBps}
	return applyTCP(ctx, r, "bandwidth", service, f, ttl)
}

func (Bandwidth) slot() string { return tcpSlot }
