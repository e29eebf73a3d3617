package proxy

import (
	"errors"
	"fmt"
	"time"
)

// TCPKind names a TCP fault. Each maps onto a Toxiproxy toxic (or, for
// TCPDown, onto disabling the Toxiproxy proxy).
type TCPKind string

// TCP fault kinds.
const (
	TCPLatency   TCPKind = "latency"    // Latency ± Jitter added to each chunk of data
	TCPBandwidth TCPKind = "bandwidth"  // throughput capped at RateKBps
	TCPReset     TCPKind = "reset_peer" // connections reset after Timeout
	TCPTimeout   TCPKind = "timeout"    // data dropped (blackhole); closed after Timeout, never when 0
	TCPSlicer    TCPKind = "slicer"     // data cut into ~AverageSize-byte pieces, Delay apart
	TCPLimitData TCPKind = "limit_data" // connection closed after Bytes bytes
	TCPDown      TCPKind = "down"       // service unreachable: connections refused and reset
)

// Streams a TCP fault applies to.
const (
	Downstream = "downstream" // upstream → caller (responses); the default
	Upstream   = "upstream"   // caller → upstream (requests)
	BothWays   = "both"
)

// TCPFault is a network-level fault in front of a service, applied by the
// in-process Toxiproxy. Zero fields take Toxiproxy's defaults.
type TCPFault struct {
	Kind          TCPKind       `json:"kind"`
	Stream        string        `json:"stream,omitempty"`   // Downstream (default), Upstream or BothWays
	Toxicity      float64       `json:"toxicity,omitempty"` // share of connections affected, 0–1; 0 means 1
	Latency       time.Duration `json:"latency,omitempty"`
	Jitter        time.Duration `json:"jitter,omitempty"`
	RateKBps      int64         `json:"rateKBps,omitempty"`
	Timeout       time.Duration `json:"timeout,omitempty"`
	AverageSize   int           `json:"averageSize,omitempty"`
	SizeVariation int           `json:"sizeVariation,omitempty"`
	Delay         time.Duration `json:"delay,omitempty"` // slicer: pause between pieces
	Bytes         int64         `json:"bytes,omitempty"`
}

// Validate reports every problem with f.
func (f *TCPFault) Validate() error {
	var errs []error
	switch f.Kind {
	case TCPLatency:
		if f.Latency <= 0 {
			errs = append(errs, fmt.Errorf("latency %s: must be > 0", f.Latency))
		}
		if f.Jitter < 0 || f.Jitter > f.Latency {
			errs = append(errs, fmt.Errorf("jitter %s: must be in 0–latency", f.Jitter))
		}
	case TCPBandwidth:
		if f.RateKBps <= 0 {
			errs = append(errs, fmt.Errorf("rate %d KB/s: must be > 0", f.RateKBps))
		}
	case TCPReset, TCPTimeout:
		if f.Timeout < 0 {
			errs = append(errs, fmt.Errorf("timeout %s: must not be negative", f.Timeout))
		}
	case TCPSlicer:
		if f.AverageSize <= 0 {
			errs = append(errs, fmt.Errorf("average size %d: must be > 0", f.AverageSize))
		}
		if f.SizeVariation < 0 || f.SizeVariation >= f.AverageSize {
			errs = append(errs, fmt.Errorf("size variation %d: must be in 0–average size", f.SizeVariation))
		}
		if f.Delay < 0 {
			errs = append(errs, fmt.Errorf("delay %s: must not be negative", f.Delay))
		}
	case TCPLimitData:
		if f.Bytes <= 0 {
			errs = append(errs, fmt.Errorf("bytes %d: must be > 0", f.Bytes))
		}
	case TCPDown:
	default:
		errs = append(errs, fmt.Errorf("tcp fault kind %q: unknown", f.Kind))
	}
	switch f.Stream {
	case "", Downstream, Upstream, BothWays:
	default:
		errs = append(errs, fmt.Errorf("stream %q: must be downstream, upstream or both", f.Stream))
	}
	if f.Toxicity < 0 || f.Toxicity > 1 {
		errs = append(errs, fmt.Errorf("toxicity %v: must be in 0–1", f.Toxicity))
	}
	return errors.Join(errs...)
}

// attributes are the Toxiproxy attributes of the toxic f maps onto.
func (f *TCPFault) attributes() map[string]any {
	ms := func(d time.Duration) int64 { return int64(d / time.Millisecond) }
	switch f.Kind {
	case TCPLatency:
		return map[string]any{"latency": ms(f.Latency), "jitter": ms(f.Jitter)}
	case TCPBandwidth:
		return map[string]any{"rate": f.RateKBps}
	case TCPReset, TCPTimeout:
		return map[string]any{"timeout": ms(f.Timeout)}
	case TCPSlicer:
		return map[string]any{"average_size": f.AverageSize, "size_variation": f.SizeVariation,
			"delay": int64(f.Delay / time.Microsecond)}
	case TCPLimitData:
		return map[string]any{"bytes": f.Bytes}
	}
	return nil
}

func (f *TCPFault) streams() []string {
	switch f.Stream {
	case Upstream:
		return []string{Upstream}
	case BothWays:
		return []string{Downstream, Upstream}
	}
	return []string{Downstream}
}
