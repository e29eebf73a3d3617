package fault

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/target"
)

// maxSliceSize bounds Slicer's sizes: beyond 1 MiB nothing is sliced.
const maxSliceSize = 1 << 20

// Slicer cuts the data of every TCP connection to a service into small
// packets of AverageSize ± SizeVariation bytes, Delay apart (Toxiproxy's
// slicer toxic): it finds parsers that assume a message arrives whole.
type Slicer struct {
	AverageSize   int
	SizeVariation int // below AverageSize
	Delay         time.Duration
}

// Kind is "slicer".
func (Slicer) Kind() string { return "slicer" }

// Validate refuses sizes outside 1 B–1 MiB, a variation not below the
// average, and a negative, unbounded or sub-microsecond delay.
func (s Slicer) Validate() error {
	var errs []error
	if s.AverageSize <= 0 || s.AverageSize > maxSliceSize {
		errs = append(errs, fmt.Errorf("slicer: size %d is outside 1–%d bytes", s.AverageSize, maxSliceSize))
	}
	if s.SizeVariation < 0 || (s.SizeVariation > 0 && s.SizeVariation >= s.AverageSize) {
		errs = append(errs, fmt.Errorf("slicer: variation %d must be in 0–size-1", s.SizeVariation))
	}
	errs = checkDuration(errs, "slicer", "delay", s.Delay)
	if s.Delay%time.Microsecond != 0 {
		errs = append(errs, errors.New("slicer: delay must be whole microseconds"))
	}
	return errors.Join(errs...)
}

// String reads like "tcp slicer: 64±16 B every 1ms".
func (s Slicer) String() string {
	out := "tcp slicer: " + strconv.Itoa(s.AverageSize)
	if s.SizeVariation > 0 {
		out += "±" + strconv.Itoa(s.SizeVariation)
	}
	out += " B"
	if s.Delay > 0 {
		out += " every " + s.Delay.String()
	}
	return out
}

// Params is the fault in ParseSpec's vocabulary.
func (s Slicer) Params() map[string]string {
	p := map[string]string{}
	putInt(p, "size", s.AverageSize)
	putInt(p, "variation", s.SizeVariation)
	putDuration(p, "delay", s.Delay)
	return p
}

// Apply installs the slicer on service's proxy.
func (s Slicer) Apply(ctx context.Context, r target.Running, service string, ttl time.Duration) (Revert, error) {
	f := proxy.TCPFault{Kind: proxy.TCPSlicer, AverageSize: s.AverageSize, SizeVariation: s.SizeVariation, Delay: s.Delay}
	return applyTCP(ctx, r, "slicer", service, f, ttl)
}

func (Slicer) slot() string { return tcpSlot }
