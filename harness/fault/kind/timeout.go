package kind

import (
	"errors"
	"fmt"
	"time"
)

// Timeout stops all data on every TCP connection to a service and closes
// the connection After it opens (Toxiproxy's timeout toxic): the caller
// sees a hang, then a closed connection.
type Timeout struct {
	After time.Duration // > 0; see Blackhole for a hang without end
}

func init() {
	Register(Def{Name: "timeout", Command: "tcp", Layer: LayerTCP, Summary: "stall every connection, then close it",
		Example: map[string]string{"after": "5s"},
		Params:  []Param{{Key: "after", Flag: "timeout", Help: "stall connections, close after this long"}},
		New:     func(r *Reader) Fault { return Timeout{After: r.Duration("after")} }})
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

// Params is the fault's text form.
func (t Timeout) Params() map[string]string { return Writer{}.Duration("after", t.After) }

// Toxic is Toxiproxy's timeout toxic.
func (t Timeout) Toxic() Toxic {
	return Toxic{Type: "timeout", Attributes: map[string]any{"timeout": ms(t.After)}}
}
