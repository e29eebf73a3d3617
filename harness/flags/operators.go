package flags

import (
	"strings"

	"github.com/diegoholiveira/jsonlogic/v3"
)

// Custom operator names, as in flagd.
const (
	opFractional = "fractional"
	opStartsWith = "starts_with"
	opEndsWith   = "ends_with"
	opSemVer     = "sem_ver"
)

func init() {
	// The engine keeps operators in a package-level map; registering once at
	// init keeps later reads race-free.
	jsonlogic.AddOperator(opFractional, fractional)
	jsonlogic.AddOperator(opStartsWith, startsWith)
	jsonlogic.AddOperator(opEndsWith, endsWith)
	jsonlogic.AddOperator(opSemVer, semVer)
}

// startsWith implements flagd's {"starts_with": [value, prefix]}.
func startsWith(values, _ any) any {
	s, prefix, ok := twoStrings(values)
	return ok && strings.HasPrefix(s, prefix)
}

// endsWith implements flagd's {"ends_with": [value, suffix]}.
func endsWith(values, _ any) any {
	s, suffix, ok := twoStrings(values)
	return ok && strings.HasSuffix(s, suffix)
}

func twoStrings(values any) (string, string, bool) {
	args, ok := values.([]any)
	if !ok || len(args) != 2 {
		return "", "", false
	}
	a, okA := args[0].(string)
	b, okB := args[1].(string)
	return a, b, okA && okB
}
