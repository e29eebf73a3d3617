package kind

import (
	"errors"
	"fmt"
	"strconv"
	"time"
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

func init() {
	Register(Def{Name: "slicer", Command: "tcp", Layer: LayerTCP, Summary: "cut the bytes into small pieces",
		Example: map[string]string{"size": "64", "variation": "16", "delay": "1ms"},
		Params: []Param{
			{Key: "size", Flag: "slice-size", Help: "cut data into pieces of this many bytes"},
			{Key: "variation", Flag: "slice-variation", Help: "piece sizes vary by ± this"},
			{Key: "delay", Flag: "slice-delay", Help: "pause between pieces"},
		},
		New: func(r *Reader) Fault {
			return Slicer{AverageSize: r.Int("size"), SizeVariation: r.Int("variation"), Delay: r.Duration("delay")}
		}})
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

// Params is the fault's text form.
func (s Slicer) Params() map[string]string {
	return Writer{}.Int("size", int64(s.AverageSize)).Int("variation", int64(s.SizeVariation)).Duration("delay", s.Delay)
}

// Toxic is Toxiproxy's slicer toxic (its delay is in microseconds).
func (s Slicer) Toxic() Toxic {
	return Toxic{Type: "slicer", Attributes: map[string]any{"average_size": s.AverageSize,
		"size_variation": s.SizeVariation, "delay": int64(s.Delay / time.Microsecond)}}
}
