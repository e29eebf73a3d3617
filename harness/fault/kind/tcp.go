package kind

import "time"

// TCP is a kind of the TCP layer: the fault proxy applies it to the bytes
// of every connection to the service, with the in-process Toxiproxy.
type TCP interface {
	Fault
	// Toxic is the Toxiproxy toxic the kind maps onto; a zero Toxic (no
	// Type) takes the service's proxy down instead (connections refused).
	Toxic() Toxic
}

// Toxic is a Toxiproxy toxic: its type and attributes, as Toxiproxy's API
// names them (milliseconds for durations unless the toxic says otherwise).
// It applies to the downstream (responses).
type Toxic struct {
	Type       string
	Attributes map[string]any
}

// ms is d in whole milliseconds, Toxiproxy's unit.
func ms(d time.Duration) int64 { return int64(d / time.Millisecond) }
