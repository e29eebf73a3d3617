package kind

import (
	"errors"
	"time"
)

// ResetPeer resets every TCP connection to a service (RST, "connection
// reset by peer") After it opens, at once when zero (Toxiproxy's
// reset_peer toxic).
type ResetPeer struct {
	After time.Duration
}

func init() {
	Register(Def{Name: "reset-peer", Command: "tcp", Layer: LayerTCP, Summary: "reset every connection",
		Example: map[string]string{"after": "0s"},
		Params:  []Param{{Key: "after", Flag: "reset", Help: "reset connections after this long (0s: at once)"}},
		New:     func(r *Reader) Fault { return ResetPeer{After: r.Duration("after")} }})
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

// Params is the fault's text form.
func (r ResetPeer) Params() map[string]string { return Writer{}.Duration("after", r.After) }

// Toxic is Toxiproxy's reset_peer toxic.
func (r ResetPeer) Toxic() Toxic {
	return Toxic{Type: "reset_peer", Attributes: map[string]any{"timeout": ms(r.After)}}
}
