package kind

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Fault is one kind of disruption, described in this package's terms.
// Kind and Params are its text form: Parse(f.Kind(), f.Params()) rebuilds
// f. String reads well on a timeline ("http: delay 900ms±150ms, 0% errors").
type Fault interface {
	Kind() string
	Params() map[string]string
	Validate() error
	String() string
}

// Layer is where a kind acts, which decides who can apply it and on which
// services.
type Layer string

// Layers.
const (
	LayerHTTP      Layer = "http"      // HTTP requests, at the service's fault proxy
	LayerGRPC      Layer = "grpc"      // gRPC calls, at the service's fault proxy
	LayerTCP       Layer = "tcp"       // bytes of any protocol, at the fault proxy
	LayerLifecycle Layer = "lifecycle" // the service's process or container
)

// Param is one parameter of a kind.
type Param struct {
	Key  string // in Params and the spec; "" for a flag that only picks the kind
	Flag string // the CLI flag (without "--"); default Key
	Help string
	Bool bool // the flag takes no value
}

// FlagName is the CLI flag of p.
func (p Param) FlagName() string {
	if p.Flag != "" {
		return p.Flag
	}
	return p.Key
}

// Def defines one kind.
type Def struct {
	Name string // the kind, as Fault.Kind returns it
	// Command is the `gameday fault` subcommand; default Name. Kinds that
	// share a command are told apart by their first parameter's flag.
	Command string
	Layer   Layer
	Summary string
	Params  []Param
	// Example is a valid instance's parameters; tests of the proxy, the
	// targets, the parser and the CLI apply every kind's Example.
	Example map[string]string
	// New builds the kind from its parameters; Parse validates the result.
	New func(r *Reader) Fault
}

// CommandName is the `gameday fault` subcommand of d.
func (d Def) CommandName() string {
	if d.Command != "" {
		return d.Command
	}
	return d.Name
}

var (
	mu   sync.RWMutex
	defs = map[string]Def{}
)

// Register adds a kind to the table and returns the function that takes
// it out again (for tests). It panics on a malformed or duplicate
// definition: kinds are registered by init functions, and a broken table
// must not start.
func Register(d Def) (unregister func()) {
	if err := d.validate(); err != nil {
		panic(fmt.Sprintf("fault kind %q: %v", d.Name, err))
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := defs[d.Name]; dup {
		panic(fmt.Sprintf("fault kind %q registered twice", d.Name))
	}
	defs[d.Name] = d
	return func() {
		mu.Lock()
		delete(defs, d.Name)
		mu.Unlock()
	}
}

func (d Def) validate() error {
	var errs []error
	if d.Name == "" || d.New == nil || d.Example == nil {
		errs = append(errs, errors.New("a kind needs a name, New and an Example"))
	}
	switch d.Layer {
	case LayerHTTP, LayerGRPC, LayerTCP, LayerLifecycle:
	default:
		errs = append(errs, fmt.Errorf("layer %q is unknown", d.Layer))
	}
	seen := map[string]bool{}
	for _, p := range d.Params {
		if p.FlagName() == "" || seen[p.FlagName()] {
			errs = append(errs, fmt.Errorf("parameter %q: empty or repeated flag", p.Key))
		}
		seen[p.FlagName()] = true
	}
	return errors.Join(errs...)
}

// Lookup returns the definition of a kind.
func Lookup(name string) (Def, bool) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := defs[name]
	return d, ok
}

// Defs returns every definition, sorted by name.
func Defs() []Def {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Def, 0, len(defs))
	for _, d := range defs {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Def) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Names lists the kinds, sorted.
func Names() []string {
	var out []string
	for _, d := range Defs() {
		out = append(out, d.Name)
	}
	return out
}

// Parse builds a fault of the given kind from string parameters ("delay":
// "900ms", "error-rate": "0.1", "exclude": "/health,/ready"). Unknown
// parameters, malformed values and an invalid fault are reported together.
func Parse(name string, params map[string]string) (Fault, error) {
	d, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown fault kind %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	r := newReader(d, params)
	f := d.New(r)
	errs := r.errs
	if err := r.unknown(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		if err := f.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f, nil
}

// LayerOf is the layer of f's kind; "" for a kind not in the table.
func LayerOf(f Fault) Layer {
	d, _ := Lookup(f.Kind())
	return d.Layer
}
