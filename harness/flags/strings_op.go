package flags

import "strings"

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
