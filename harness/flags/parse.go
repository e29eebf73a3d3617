package flags

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
)

// LoadFile reads and parses a flagd flag file. Errors name the path.
func LoadFile(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load flags: %w", err)
	}
	return Parse(data, path)
}

// Parse parses a flagd flag file. source names the data in errors and is
// kept as [Set.Source]. Every problem found is reported, joined with
// errors.Join, each as "source: flag \"key\": field ...".
func Parse(data []byte, source string) (*Set, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %s", source, describeJSONError(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: unexpected data after the top-level object", source)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: top level is %s, want an object with \"flags\"", source, jsonType(doc))
	}
	p := &parser{source: source}
	if s, ok := root["$schema"]; ok {
		if _, isStr := s.(string); !isStr {
			p.errorf("\"$schema\" is %s, want a string", jsonType(s))
		}
	}
	p.evaluators = p.parseEvaluators(root["$evaluators"])
	rawFlags, ok := root["flags"]
	if !ok {
		p.errorf("missing \"flags\" object")
		return nil, errors.Join(p.errs...)
	}
	flagsObj, ok := rawFlags.(map[string]any)
	if !ok {
		p.errorf("\"flags\" is %s, want an object", jsonType(rawFlags))
		return nil, errors.Join(p.errs...)
	}
	set := &Set{source: source, flags: make(map[string]*Flag, len(flagsObj))}
	for _, key := range slices.Sorted(maps.Keys(flagsObj)) {
		if f := p.parseFlag(key, flagsObj[key]); f != nil {
			set.flags[key] = f
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return set, nil
}

type parser struct {
	source     string
	evaluators map[string]any
	resolved   map[string]resolvedRule
	errs       []error
}

type resolvedRule struct {
	rule any
	size int
}

func (p *parser) errorf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: "+format, append([]any{p.source}, args...)...))
}

func (p *parser) flagErrorf(key, format string, args ...any) {
	p.errorf("flag %q: "+format, append([]any{key}, args...)...)
}

func (p *parser) parseEvaluators(raw any) map[string]any {
	if raw == nil {
		return nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		p.errorf("\"$evaluators\" is %s, want an object", jsonType(raw))
		return nil
	}
	return obj
}

func (p *parser) parseFlag(key string, raw any) *Flag {
	obj, ok := raw.(map[string]any)
	if !ok {
		p.flagErrorf(key, "definition is %s, want an object", jsonType(raw))
		return nil
	}
	nErrs := len(p.errs)
	f := &Flag{Key: key}

	switch st := obj["state"].(type) {
	case nil:
		p.flagErrorf(key, "missing \"state\" (ENABLED or DISABLED)")
	case string:
		f.State = State(st)
		if f.State != StateEnabled && f.State != StateDisabled {
			p.flagErrorf(key, "state %q is not ENABLED or DISABLED", st)
		}
	default:
		p.flagErrorf(key, "state is %s, want \"ENABLED\" or \"DISABLED\"", jsonType(st))
	}

	if d, ok := obj["description"]; ok {
		if s, isStr := d.(string); isStr {
			f.Description = s
		} else {
			p.flagErrorf(key, "description is %s, want a string", jsonType(d))
		}
	}

	f.Variants = p.parseVariants(key, obj["variants"])

	switch dv := obj["defaultVariant"].(type) {
	case nil:
		p.flagErrorf(key, "missing \"defaultVariant\"")
	case string:
		f.DefaultVariant = dv
		if _, ok := f.Variants[dv]; !ok && f.Variants != nil {
			p.flagErrorf(key, "defaultVariant %q is not one of its variants (%s)", dv, quotedList(f.VariantNames()))
		}
	default:
		p.flagErrorf(key, "defaultVariant is %s, want a variant name", jsonType(dv))
	}

	if t, ok := obj["targeting"]; ok {
		f.Targeting = p.parseTargeting(key, t)
	}
	if len(p.errs) > nErrs {
		return nil
	}
	return f
}

func (p *parser) parseVariants(key string, raw any) map[string]any {
	if raw == nil {
		p.flagErrorf(key, "missing \"variants\"")
		return nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		p.flagErrorf(key, "variants is %s, want an object", jsonType(raw))
		return nil
	}
	if len(obj) == 0 {
		p.flagErrorf(key, "variants is empty")
		return nil
	}
	kinds := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		v := obj[name]
		switch v.(type) {
		case bool, string, float64, map[string]any:
			kinds[jsonType(v)] = append(kinds[jsonType(v)], name)
		default:
			p.flagErrorf(key, "variant %q is %s, want a boolean, string, number or object", name, jsonType(v))
		}
	}
	if len(kinds) > 1 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			parts = append(parts, fmt.Sprintf("%s (%s)", k, quotedList(kinds[k])))
		}
		p.flagErrorf(key, "variants mix types: %s", joinComma(parts))
	}
	return obj
}
