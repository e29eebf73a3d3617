package flags

import (
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/otel-demo.flagd.json", "../../fixtures/demo/demo.flagd.json"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(colorFlags))
	f.Add([]byte(`{"$evaluators": {"a": {"$ref": "b"}, "b": {"in": ["x", {"var": "y"}]}},
	  "flags": {"f": {"state": "ENABLED", "defaultVariant": "on", "variants": {"on": {"k": [1, 2]}},
	  "targeting": {"if": [{"$ref": "a"}, {"fractional": [["on", 1]]}, {"sem_ver": ["1.0", "^", "1.2"]}]}}}}`))
	f.Add([]byte(`{"flags": {"f": {"state": "DISABLED", "defaultVariant": "a", "variants": {"a": "x"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "fuzz.json")
		if err != nil {
			return
		}
		// Whatever parses must also evaluate without panicking.
		for _, key := range s.Keys() {
			r := s.Evaluate(key, map[string]any{TargetingKey: "user-1", "email": "a@b.c", "version": "1.2.3"})
			if r.ErrorCode == "" && r.Reason != ReasonDisabled {
				if _, ok := s.flags[key].Variants[r.Variant]; !ok {
					t.Fatalf("flag %q evaluated to unknown variant %q", key, r.Variant)
				}
			}
		}
	})
}
