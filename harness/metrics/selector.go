package metrics

import (
	"errors"
	"fmt"
	"strings"
)

// Selector names the samples a threshold judges: a metric, optionally
// narrowed to a sub-metric by a tag filter, as k6 writes it:
//
//	http_req_duration
//	http_req_duration{name:checkout}
//	http_req_duration{scenario:shoppers, expected_response:true}
//	iteration_duration{group:::setup}
//
// Tags are key:value pairs separated by commas; each pair splits at its
// first colon, so a value may hold colons (k6's group tag "::setup").
// Spaces around the name, keys and values are ignored. A sample belongs to
// the sub-metric when it has every tag of the filter with the same value.
// Keys and values cannot hold commas or braces; a key appears once.
type Selector struct {
	Metric string
	Tags   Tags // nil without a filter
}

// ParseSelector parses a threshold's metric selector. The metric name
// follows k6's rules (see Registry.Define); whether it exists is checked
// against a registry by ParseThresholdConfigs.
func ParseSelector(src string) (Selector, error) {
	s, err := parseSelector(src)
	if err != nil {
		return Selector{}, fmt.Errorf("metric selector %q: %w", src, err)
	}
	return s, nil
}

func parseSelector(src string) (Selector, error) {
	name, rest, hasTags := strings.Cut(src, "{")
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return Selector{}, err
	}
	if !hasTags {
		return Selector{Metric: name}, nil
	}
	rest = strings.TrimRight(rest, " \t\n\r")
	body, ok := strings.CutSuffix(rest, "}")
	if !ok {
		return Selector{}, errors.New("tag filter has no closing }")
	}
	if strings.ContainsAny(body, "{}") {
		return Selector{}, errors.New("tag filter holds a brace; write one {key:value,...} after the name")
	}
	if strings.TrimSpace(body) == "" {
		return Selector{}, errors.New("empty tag filter {}: drop the braces or name a tag")
	}
	tags := Tags{}
	var errs []error
	for pair := range strings.SplitSeq(body, ",") {
		k, v, ok := strings.Cut(pair, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("tag %q is not key:value", strings.TrimSpace(pair)))
		case k == "":
			errs = append(errs, fmt.Errorf("tag %q has no key", strings.TrimSpace(pair)))
		case v == "":
			errs = append(errs, fmt.Errorf("tag %q has no value", k))
		default:
			if _, dup := tags[k]; dup {
				errs = append(errs, fmt.Errorf("tag %q appears twice", k))
			}
			tags[k] = v
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Selector{}, err
	}
	return Selector{Metric: name, Tags: tags}, nil
}

// String is the selector in canonical form: tags sorted, no spaces.
func (s Selector) String() string {
	if len(s.Tags) == 0 {
		return s.Metric
	}
	return s.Metric + s.Tags.String()
}
