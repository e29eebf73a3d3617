package flags

import (
	"maps"
	"slices"
)

// maxRuleNodes bounds a targeting rule's size after $ref expansion, so a file
// whose evaluators reference each other exponentially is rejected instead of
// exhausting memory or CPU at evaluation time.
const maxRuleNodes = 100_000

// knownOperators are the JsonLogic operators the engine implements plus
// flagd's custom ones. A single-key object whose key is not here is a typo.
var knownOperators = map[string]bool{
	"var": true, "missing": true, "missing_some": true,
	"if": true, "?:": true, "==": true, "===": true, "!=": true, "!==": true,
	"!": true, "!!": true, "or": true, "and": true,
	">": true, ">=": true, "<": true, "<=": true,
	"max": true, "min": true, "+": true, "-": true, "*": true, "/": true, "%": true, "abs": true,
	"map": true, "filter": true, "reduce": true, "all": true, "none": true, "some": true,
	"merge": true, "in": true, "in_sorted": true, "cat": true, "substr": true, "set": true,
	opFractional: true, opStartsWith: true, opEndsWith: true, opSemVer: true,
}

// parseTargeting resolves $ref and checks operators. An empty object means
// no targeting, as in flagd.
func (p *parser) parseTargeting(key string, raw any) any {
	obj, ok := raw.(map[string]any)
	if !ok {
		p.flagErrorf(key, "targeting is %s, want a JsonLogic object", jsonType(raw))
		return nil
	}
	if len(obj) == 0 {
		return nil
	}
	rule, size, err := p.resolve(obj, nil)
	if err != "" {
		p.flagErrorf(key, "targeting: %s", err)
		return nil
	}
	if size > maxRuleNodes {
		p.flagErrorf(key, "targeting has %d nodes after $ref expansion, limit %d", size, maxRuleNodes)
		return nil
	}
	return rule
}

// resolve returns node with every {"$ref": name} replaced by the named
// evaluator, the expanded node count, and a problem description ("" if
// none). stack holds the evaluators being expanded, to catch cycles.
func (p *parser) resolve(node any, stack []string) (any, int, string) {
	switch n := node.(type) {
	case []any:
		out := make([]any, len(n))
		total := 1
		for i, el := range n {
			r, size, err := p.resolve(el, stack)
			if err != "" {
				return nil, 0, err
			}
			out[i] = r
			total = saturatingAdd(total, size)
		}
		return out, total, ""
	case map[string]any:
		if ref, ok := n["$ref"]; ok && len(n) == 1 {
			name, isStr := ref.(string)
			if !isStr {
				return nil, 0, "\"$ref\" is " + jsonType(ref) + ", want an evaluator name"
			}
			return p.resolveEvaluator(name, stack)
		}
		if len(n) == 1 {
			for op := range n {
				if !knownOperators[op] {
					return nil, 0, "unknown operator " + quote(op)
				}
			}
		}
		out := make(map[string]any, len(n))
		total := 1
		for _, k := range slices.Sorted(maps.Keys(n)) {
			r, size, err := p.resolve(n[k], stack)
			if err != "" {
				return nil, 0, err
			}
			out[k] = r
			total = saturatingAdd(total, size)
		}
		return out, total, ""
	default:
		return node, 1, ""
	}
}

func (p *parser) resolveEvaluator(name string, stack []string) (any, int, string) {
	if r, ok := p.resolved[name]; ok {
		return r.rule, r.size, ""
	}
	if slices.Contains(stack, name) {
		return nil, 0, "$ref cycle: " + joinArrow(append(stack, name))
	}
	ev, ok := p.evaluators[name]
	if !ok {
		return nil, 0, "$ref " + quote(name) + " names no entry in \"$evaluators\""
	}
	rule, size, err := p.resolve(ev, append(stack, name))
	if err != "" {
		return nil, 0, err
	}
	if p.resolved == nil {
		p.resolved = map[string]resolvedRule{}
	}
	p.resolved[name] = resolvedRule{rule: rule, size: size}
	return rule, size, ""
}

func saturatingAdd(a, b int) int {
	if a > maxRuleNodes*2 || b > maxRuleNodes*2 {
		return maxRuleNodes * 2
	}
	return a + b
}
