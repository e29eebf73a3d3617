package fault

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Blast-radius refusals; a *SelectorError wraps one of them.
var (
	ErrNoMatch        = errors.New("matches no service")
	ErrTooManyTargets = errors.New("matches more services than allowed")
	ErrForbidden      = errors.New("matches a forbidden service")
)

// SelectorError is a selector refused by the blast-radius guard, with what
// it matched so the user can see why.
type SelectorError struct {
	Selector string
	Matched  []string // services the selector matched
	Services []string // every service of the running system
	Detail   string   // e.g. "1 allowed" or "forbidden: payment"
	Err      error    // ErrNoMatch, ErrTooManyTargets or ErrForbidden
}

func (e *SelectorError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "selector %q %v", e.Selector, e.Err)
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	if len(e.Matched) > 0 {
		fmt.Fprintf(&b, "; matched %s", strings.Join(e.Matched, ", "))
	} else {
		fmt.Fprintf(&b, "; services are %s", strings.Join(e.Services, ", "))
	}
	return b.String()
}

func (e *SelectorError) Unwrap() error { return e.Err }

// match resolves selector over services and applies the guard: at least
// one match, at most max, none matching a forbid pattern.
func match(selector string, services []string, max int, forbid []string) ([]string, error) {
	if selector == "" {
		return nil, errors.New("empty selector: name a service or a glob")
	}
	if _, err := path.Match(selector, ""); err != nil {
		return nil, fmt.Errorf("selector %q: %w", selector, err)
	}
	all := slices.Sorted(slices.Values(services))
	var matched []string
	for _, s := range all {
		if ok, _ := path.Match(selector, s); ok {
			matched = append(matched, s)
		}
	}
	fail := func(err error, detail string) error {
		return &SelectorError{Selector: selector, Matched: matched, Services: all, Detail: detail, Err: err}
	}
	if len(matched) == 0 {
		return nil, fail(ErrNoMatch, "")
	}
	if bad := forbidden(matched, forbid); len(bad) > 0 {
		return nil, fail(ErrForbidden, "forbidden: "+strings.Join(bad, ", "))
	}
	if len(matched) > max {
		return nil, fail(ErrTooManyTargets, fmt.Sprintf("%d matched, %d allowed", len(matched), max))
	}
	return matched, nil
}

// forbidden returns the services that match any forbid pattern.
func forbidden(services, forbid []string) []string {
	var out []string
	for _, s := range services {
		for _, pat := range forbid {
			if ok, _ := path.Match(pat, s); ok {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
