package kind

// Pause freezes a service: it keeps its connections but answers nothing
// until the injection ends and it is unpaused.
type Pause struct{}

func init() {
	Register(Def{Name: "pause", Layer: LayerLifecycle, Summary: "freeze the service until the fault ends",
		Example: map[string]string{},
		New:     func(*Reader) Fault { return Pause{} }})
}

// Kind is "pause".
func (Pause) Kind() string { return "pause" }

// Validate never fails: Pause has no parameters.
func (Pause) Validate() error { return nil }

// String is "pause".
func (Pause) String() string { return "pause" }

// Params is empty.
func (Pause) Params() map[string]string { return map[string]string{} }
