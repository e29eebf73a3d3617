package kind

import (
	"errors"
	"fmt"
	"time"
)

// Latency delays the data of every TCP connection to a service by Latency
// ± Jitter (Toxiproxy's latency toxic): the fault for opaque protocols
// such as Kafka's, where HTTP delays do not apply.
type Latency struct {
	Latency time.Duration
	Jitter  time.Duration // at most Latency
}

func init() {
	Register(Def{Name: "latency", Command: "tcp", Layer: LayerTCP, Summary: "delay the bytes of every connection",
		Example: map[string]string{"latency": "100ms", "jitter": "10ms"},
		Params: []Param{
			{Key: "latency", Help: "delay on the data, e.g. 100ms"},
			{Key: "jitter", Help: "latency varies by ± this"},
		},
		New: func(r *Reader) Fault { return Latency{Latency: r.Duration("latency"), Jitter: r.Duration("jitter")} }})
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

// Params is the fault's text form.
func (l Latency) Params() map[string]string {
	return Writer{}.Duration("latency", l.Latency).Duration("jitter", l.Jitter)
}

// Toxic is Toxiproxy's latency toxic.
func (l Latency) Toxic() Toxic {
	return Toxic{Type: "latency", Attributes: map[string]any{"latency": ms(l.Latency), "jitter": ms(l.Jitter)}}
}
