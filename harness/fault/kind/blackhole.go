package kind

// Blackhole swallows all data on every TCP connection to a service and
// never closes it (Toxiproxy's timeout toxic with timeout 0) until the
// injection ends.
type Blackhole struct{}

func init() {
	Register(Def{Name: "blackhole", Command: "tcp", Layer: LayerTCP, Summary: "stall every connection until the fault ends",
		Example: map[string]string{},
		Params:  []Param{{Flag: "blackhole", Bool: true, Help: "stall connections until the fault ends"}},
		New:     func(*Reader) Fault { return Blackhole{} }})
}

// Kind is "blackhole".
func (Blackhole) Kind() string { return "blackhole" }

// Validate never fails: Blackhole has no parameters.
func (Blackhole) Validate() error { return nil }

// String is "tcp blackhole".
func (Blackhole) String() string { return "tcp blackhole" }

// Params is empty.
func (Blackhole) Params() map[string]string { return map[string]string{} }

// Toxic is Toxiproxy's timeout toxic that never closes.
func (Blackhole) Toxic() Toxic {
	return Toxic{Type: "timeout", Attributes: map[string]any{"timeout": int64(0)}}
}
