package kind

// Down takes a service's fault proxy down: new connections are refused and
// open ones closed, as if the service were gone, while its process keeps
// running (compare Kill).
type Down struct{}

func init() {
	Register(Def{Name: "down", Command: "tcp", Layer: LayerTCP, Summary: "refuse connections, as if the service were gone",
		Example: map[string]string{},
		Params:  []Param{{Flag: "down", Bool: true, Help: "refuse connections, as if the service were gone"}},
		New:     func(*Reader) Fault { return Down{} }})
}

// Kind is "down".
func (Down) Kind() string { return "down" }

// Validate never fails: Down has no parameters.
func (Down) Validate() error { return nil }

// String is "tcp down: connections refused".
func (Down) String() string { return "tcp down: connections refused" }

// Params is empty.
func (Down) Params() map[string]string { return map[string]string{} }

// Toxic is zero: the proxy goes down rather than adding a toxic.
func (Down) Toxic() Toxic { return Toxic{} }
