package fault

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// params reads a fault's string parameters, collecting every problem and
// remembering which keys were read so unknown ones can be refused.
type params struct {
	kind string
	m    map[string]string
	used map[string]bool
	errs []error
}

func newParams(kind string, m map[string]string) *params {
	return &params{kind: kind, m: m, used: map[string]bool{}}
}

// get returns the value of key, marking it read; "" when absent.
func (p *params) get(key string) string {
	p.used[key] = true
	return strings.TrimSpace(p.m[key])
}

func (p *params) fail(key, v string, err error) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s %q: %w", p.kind, key, v, err))
}

func (p *params) str(key string) string {
	p.used[key] = true
	return p.m[key] // verbatim: bodies and messages keep their spaces
}

func (p *params) duration(key string) time.Duration {
	v := p.get(key)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		p.fail(key, v, errBadValue("a duration like 900ms"))
	}
	return d
}

func (p *params) float(key string) float64 {
	v := p.get(key)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.fail(key, v, errBadValue("a number"))
	}
	return f
}

func (p *params) int(key string) int {
	v := p.get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		p.fail(key, v, errBadValue("an integer"))
	}
	return int(n)
}

func (p *params) int64(key string) int64 {
	v := p.get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.fail(key, v, errBadValue("an integer"))
	}
	return n
}

func (p *params) bool(key string) bool {
	v := p.get(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(key, v, errBadValue("true or false"))
	}
	return b
}

func (p *params) bytes(key string) int64 {
	v := p.get(key)
	if v == "" {
		return 0
	}
	n, err := parseBytes(v)
	if err != nil {
		p.fail(key, v, err)
	}
	return n
}

// list splits a comma-separated value, dropping empty items.
func (p *params) list(key string) []string {
	var out []string
	for _, s := range strings.Split(p.get(key), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// unknown reports keys nobody read, with the ones the kind accepts.
func (p *params) unknown() error {
	var bad, known []string
	for k := range p.m {
		if !p.used[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	for k := range p.used {
		known = append(known, k)
	}
	sort.Strings(bad)
	sort.Strings(known)
	if len(known) == 0 {
		return fmt.Errorf("%s: unknown parameters %s (it takes none)", p.kind, strings.Join(bad, ", "))
	}
	return fmt.Errorf("%s: unknown parameters %s (known: %s)", p.kind, strings.Join(bad, ", "), strings.Join(known, ", "))
}

type errBadValue string

func (e errBadValue) Error() string { return "want " + string(e) }

// The put helpers write non-zero values in the form params reads back.

func putDuration(m map[string]string, key string, d time.Duration) {
	if d != 0 {
		m[key] = d.String()
	}
}

func putFloat(m map[string]string, key string, f float64) {
	if f != 0 {
		m[key] = strconv.FormatFloat(f, 'g', -1, 64)
	}
}

func putInt[T int | int64](m map[string]string, key string, n T) {
	if n != 0 {
		m[key] = strconv.FormatInt(int64(n), 10)
	}
}

func putBool(m map[string]string, key string, b bool) {
	if b {
		m[key] = "true"
	}
}

func putString(m map[string]string, key, s string) {
	if s != "" {
		m[key] = s
	}
}

func putList(m map[string]string, key string, l []string) {
	if len(l) > 0 {
		m[key] = strings.Join(l, ",")
	}
}

// trimFloat prints f with up to prec significant digits and no exponent
// for everyday magnitudes.
func trimFloat(f float64, prec int) string {
	return strconv.FormatFloat(f, 'g', prec, 64)
}
