package kind

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reader reads a kind's string parameters, collecting every problem.
type Reader struct {
	def  Def
	m    map[string]string
	errs []error
}

func newReader(d Def, m map[string]string) *Reader { return &Reader{def: d, m: m} }

func (r *Reader) get(key string) string { return strings.TrimSpace(r.m[key]) }

func (r *Reader) fail(key, v string, err error) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s %q: %w", r.def.Name, key, v, err))
}

// String returns the value of key verbatim: bodies and messages keep their spaces.
func (r *Reader) String(key string) string { return r.m[key] }

// Name returns the value of key without surrounding spaces.
func (r *Reader) Name(key string) string { return r.get(key) }

// Duration reads a duration like "900ms"; 0 when absent.
func (r *Reader) Duration(key string) time.Duration {
	v := r.get(key)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(key, v, errBadValue("a duration like 900ms"))
	}
	return d
}

// Float reads a number; 0 when absent.
func (r *Reader) Float(key string) float64 {
	v := r.get(key)
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.fail(key, v, errBadValue("a number"))
	}
	return f
}

// Int reads an integer; 0 when absent.
func (r *Reader) Int(key string) int { return int(r.int(key, 32)) }

// Int64 reads an integer; 0 when absent.
func (r *Reader) Int64(key string) int64 { return r.int(key, 64) }

func (r *Reader) int(key string, bits int) int64 {
	v := r.get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, bits)
	if err != nil {
		r.fail(key, v, errBadValue("an integer"))
	}
	return n
}

// Bool reads true or false; false when absent.
func (r *Reader) Bool(key string) bool {
	v := r.get(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(key, v, errBadValue("true or false"))
	}
	return b
}

// Bytes reads a size like "20Mi" or a byte count; 0 when absent.
func (r *Reader) Bytes(key string) int64 {
	v := r.get(key)
	if v == "" {
		return 0
	}
	n, err := ParseBytes(v)
	if err != nil {
		r.fail(key, v, err)
	}
	return n
}

// List splits a comma-separated value, dropping empty items.
func (r *Reader) List(key string) []string {
	var out []string
	for _, s := range strings.Split(r.get(key), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// unknown reports keys the kind does not take, with the ones it does.
func (r *Reader) unknown() error {
	var bad, known []string
	for _, p := range r.def.Params {
		if p.Key != "" {
			known = append(known, p.Key)
		}
	}
	for k := range r.m {
		if !slices.Contains(known, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	slices.Sort(known)
	if len(known) == 0 {
		return fmt.Errorf("%s: unknown parameters %s (it takes none)", r.def.Name, strings.Join(bad, ", "))
	}
	return fmt.Errorf("%s: unknown parameters %s (known: %s)", r.def.Name, strings.Join(bad, ", "), strings.Join(known, ", "))
}

type errBadValue string

func (e errBadValue) Error() string { return "want " + string(e) }
