package kind

import (
	"fmt"
	"strconv"
)

// maxKBps bounds Bandwidth: 10 GB/s is no limit worth injecting.
const maxKBps = 10 << 20

// Bandwidth limits every TCP connection to a service to KBps kilobytes per
// second (Toxiproxy's bandwidth toxic).
type Bandwidth struct {
	KBps int64
}

func init() {
	Register(Def{Name: "bandwidth", Command: "tcp", Layer: LayerTCP, Summary: "cap the throughput of every connection",
		Example: map[string]string{"kbps": "10"},
		Params:  []Param{{Key: "kbps", Flag: "bandwidth", Help: "limit to this many KB/s"}},
		New:     func(r *Reader) Fault { return Bandwidth{KBps: r.Int64("kbps")} }})
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

// Params is the fault's text form.
func (b Bandwidth) Params() map[string]string { return Writer{}.Int("kbps", b.KBps) }

// Toxic is Toxiproxy's bandwidth toxic.
func (b Bandwidth) Toxic() Toxic {
	return Toxic{Type: "bandwidth", Attributes: map[string]any{"rate": b.KBps}}
}
