package kind

import "fmt"

// LimitData closes every TCP connection to a service once Bytes bytes have
// come back on it (Toxiproxy's limit_data toxic): an answer cut off
// mid-way, which finds clients that trust a short read.
type LimitData struct {
	Bytes int64
}

func init() {
	Register(Def{Name: "limit-data", Command: "tcp", Layer: LayerTCP, Summary: "close connections after some bytes",
		Example: map[string]string{"bytes": "1Ki"},
		Params:  []Param{{Key: "bytes", Flag: "limit-data", Help: "close each connection after this many bytes, e.g. 1Ki"}},
		New:     func(r *Reader) Fault { return LimitData{Bytes: r.Bytes("bytes")} }})
}

// Kind is "limit-data".
func (LimitData) Kind() string { return "limit-data" }

// Validate refuses a limit below one byte.
func (l LimitData) Validate() error {
	if l.Bytes < 1 {
		return fmt.Errorf("limit-data: %d bytes is below 1", l.Bytes)
	}
	return nil
}

// String reads like "tcp limit-data: close after 1Ki".
func (l LimitData) String() string { return "tcp limit-data: close after " + FormatBytes(l.Bytes) }

// Params is the fault's text form.
func (l LimitData) Params() map[string]string {
	return Writer{}.String("bytes", FormatBytes(l.Bytes))
}

// Toxic is Toxiproxy's limit_data toxic.
func (l LimitData) Toxic() Toxic {
	return Toxic{Type: "limit_data", Attributes: map[string]any{"bytes": l.Bytes}}
}
