package flags

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
)

// Merge combines flag files the way flagd combines several sources: a flag
// defined in a later file replaces the whole definition of the same key in
// an earlier one, and "$evaluators" merge the same way. The result is one
// flag file (indented JSON) that Parse accepts; each input must parse on
// its own, and every problem is reported.
func Merge(files ...[]byte) ([]byte, error) {
	if len(files) == 0 {
		return nil, errors.New("merge flags: no file")
	}
	flagsOut := map[string]json.RawMessage{}
	evalOut := map[string]json.RawMessage{}
	var errs []error
	for i, data := range files {
		source := fmt.Sprintf("flag file %d", i+1)
		if _, err := Parse(data, source); err != nil {
			errs = append(errs, err)
			continue
		}
		var doc struct {
			Flags      map[string]json.RawMessage `json:"flags"`
			Evaluators map[string]json.RawMessage `json:"$evaluators"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", source, err))
			continue
		}
		maps.Copy(flagsOut, doc.Flags)
		maps.Copy(evalOut, doc.Evaluators)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("merge flags: %w", errors.Join(errs...))
	}
	out := map[string]any{"$schema": "https://flagd.dev/schema/v0/flags.json", "flags": flagsOut}
	if len(evalOut) > 0 {
		out["$evaluators"] = evalOut
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("merge flags: %w", err)
	}
	return b, nil
}
