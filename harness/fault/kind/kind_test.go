package kind

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryKindsExample parses, validates and survives its text form.
func TestEveryKindsExample(t *testing.T) {
	require.NotEmpty(t, Defs())
	for _, d := range Defs() {
		f, err := Parse(d.Name, d.Example)
		require.NoError(t, err, d.Name)
		assert.Equal(t, d.Name, f.Kind())
		assert.NotEmpty(t, f.String())
		g, err := Parse(f.Kind(), f.Params())
		require.NoError(t, err, d.Name)
		assert.Equal(t, f, g, "%s: Params is the text form Parse reads", d.Name)
		if d.Layer == LayerTCP {
			_, ok := f.(TCP)
			assert.True(t, ok, "%s is a tcp kind without a Toxic", d.Name)
		}
		for k := range f.Params() {
			assert.Contains(t, keys(d.Params), k, "%s writes a parameter it does not declare", d.Name)
		}
	}
}

func TestRegisterRefusesBrokenKinds(t *testing.T) {
	assert.Panics(t, func() {
		Register(Def{Name: "http", Layer: LayerHTTP, Example: map[string]string{}, New: func(*Reader) Fault { return HTTP{} }})
	},
		"duplicate")
	assert.Panics(t, func() {
		Register(Def{Name: "x", Layer: "radio", Example: map[string]string{}, New: func(*Reader) Fault { return Pause{} }})
	},
		"unknown layer")
	assert.Panics(t, func() {
		Register(Def{Name: "y", Layer: LayerTCP, Example: map[string]string{}, New: func(*Reader) Fault { return Pause{} },
			Params: []Param{{Key: "a"}, {Key: "b", Flag: "a"}}})
	}, "repeated flag")
	assert.Panics(t, func() { Register(Def{Name: "z", Layer: LayerTCP, New: func(*Reader) Fault { return Pause{} }}) },
		"no example")
	_, ok := Lookup("x")
	assert.False(t, ok)
}

func TestParseReportsEverything(t *testing.T) {
	_, err := Parse("slicer", map[string]string{"size": "big", "delay": "-1s", "colour": "red"})
	require.Error(t, err)
	assert.ErrorContains(t, err, `slicer: size "big": want an integer`)
	assert.ErrorContains(t, err, "unknown parameters colour (known: delay, size, variation)")
	_, err = Parse("nuke", nil)
	assert.ErrorContains(t, err, `unknown fault kind "nuke"`)
	assert.Equal(t, LayerGRPC, LayerOf(GRPC{}))
}

func keys(ps []Param) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key)
	}
	return out
}
