package flags

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// State is a flag's state in the flag file.
type State string

// Flag states.
const (
	StateEnabled  State = "ENABLED"
	StateDisabled State = "DISABLED"
)

// Flag is one parsed flag definition.
type Flag struct {
	Key            string
	State          State
	Description    string
	Variants       map[string]any
	DefaultVariant string
	// Targeting is the JsonLogic rule with every $ref already resolved;
	// nil when the flag has no targeting.
	Targeting any
}

// VariantNames returns the flag's variant names ordered by value when the
// values are numbers ("off", "10%", "50%", "100%"), else by name.
func (f *Flag) VariantNames() []string {
	return sortedVariantNames(f.Variants)
}

func sortedVariantNames(variants map[string]any) []string {
	names := slices.Collect(maps.Keys(variants))
	slices.SortFunc(names, func(x, y string) int {
		a, okA := variants[x].(float64)
		b, okB := variants[y].(float64)
		if okA && okB && a != b {
			return cmp.Compare(a, b)
		}
		return strings.Compare(x, y)
	})
	return names
}

// Set is an immutable collection of flags parsed from one source.
// It is safe for concurrent use.
type Set struct {
	source string
	flags  map[string]*Flag
}

// Source names where the set came from (a file path or a label).
func (s *Set) Source() string { return s.source }

// Keys returns the flag keys, sorted.
func (s *Set) Keys() []string {
	return slices.Sorted(maps.Keys(s.flags))
}

// Flag returns the flag with the given key.
func (s *Set) Flag(key string) (*Flag, bool) {
	f, ok := s.flags[key]
	return f, ok
}

// WithDefaultVariant returns a copy of the set in which flag key defaults to
// variant. The receiver is unchanged.
func (s *Set) WithDefaultVariant(key, variant string) (*Set, error) {
	f, ok := s.flags[key]
	if !ok {
		return nil, &UnknownFlagError{Key: key}
	}
	if _, ok := f.Variants[variant]; !ok {
		return nil, &UnknownVariantError{Key: key, Variant: variant, Valid: f.VariantNames()}
	}
	out := &Set{source: s.source, flags: maps.Clone(s.flags)}
	nf := *f
	nf.DefaultVariant = variant
	out.flags[key] = &nf
	return out, nil
}
