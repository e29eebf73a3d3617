package metrics

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrUnknownMetric is returned for a metric name that was never defined.
var ErrUnknownMetric = errors.New("unknown metric")

// Registry holds every metric of one run. It is safe for concurrent use.
type Registry struct {
	start time.Time

	mu      sync.RWMutex
	metrics map[string]*Metric
	order   []string
}

// NewRegistry returns a registry whose per-second buckets count from start.
// The k6 built-in metrics are defined already (see Builtins).
func NewRegistry(start time.Time) *Registry {
	r := &Registry{start: start.Truncate(time.Second), metrics: map[string]*Metric{}}
	for _, b := range Builtins {
		if _, err := r.Define(b.Name, b.Type, b.ValueType); err != nil {
			panic(err) // the builtin table is static; a clash is a programming error
		}
	}
	return r
}

// Start is the instant second 0 of the per-second series begins.
func (r *Registry) Start() time.Time { return r.start }

// Define creates a metric, or returns the existing one when the name is
// already defined with the same type. Names follow k6's rules: 1 to 128
// ASCII letters, digits and _, not starting with a digit.
func (r *Registry) Define(name string, typ Type, vt ValueType) (*Metric, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if !typ.Valid() || !vt.Valid() {
		return nil, fmt.Errorf("metric %q: unknown type %s or value type %s", name, typ, vt)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.metrics[name]; ok {
		if m.Type != typ {
			return nil, fmt.Errorf("metric %q already defined as %s, not %s", name, m.Type, typ)
		}
		return m, nil
	}
	m := &Metric{Name: name, Type: typ, ValueType: vt, reg: r, series: map[string]*Series{}}
	r.metrics[name] = m
	r.order = append(r.order, name)
	return m, nil
}

// MustDefine is Define for static definitions; it panics on error.
func (r *Registry) MustDefine(name string, typ Type, vt ValueType) *Metric {
	m, err := r.Define(name, typ, vt)
	if err != nil {
		panic(err)
	}
	return m
}

// Metric returns the named metric, or nil.
func (r *Registry) Metric(name string) *Metric {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.metrics[name]
}

// Metrics returns every metric in definition order.
func (r *Registry) Metrics() []*Metric {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Metric, 0, len(r.order))
	for _, n := range r.order {
		out = append(out, r.metrics[n])
	}
	return out
}

// Add records one sample on the named metric. For hot paths, keep the
// *Series from Metric.Series and call Series.Add instead.
func (r *Registry) Add(name string, t time.Time, v float64, tags Tags) error {
	m := r.Metric(name)
	if m == nil {
		return fmt.Errorf("%w %q", ErrUnknownMetric, name)
	}
	m.Series(tags).Add(t, v)
	return nil
}

func (r *Registry) second(t time.Time) int {
	s := int(t.Sub(r.start) / time.Second)
	if s < 0 {
		return 0
	}
	return s
}

func checkName(name string) error {
	if name == "" || len(name) > 128 {
		return fmt.Errorf("metric name %q: must be 1 to 128 characters", name)
	}
	for _, c := range name {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !ok {
			return fmt.Errorf("metric name %q: only ASCII letters, digits and _ are allowed", name)
		}
	}
	if c := name[0]; c >= '0' && c <= '9' {
		return fmt.Errorf("metric name %q: must start with a letter or _", name)
	}
	return nil
}

// Metric is one named metric with all its tagged series.
type Metric struct {
	Name      string
	Type      Type
	ValueType ValueType

	reg    *Registry
	mu     sync.RWMutex
	series map[string]*Series
}

// Series returns the series for exactly this tag set, creating it if needed.
// The returned handle is safe for concurrent Add and may be cached.
func (m *Metric) Series(tags Tags) *Series {
	key := tags.key()
	m.mu.RLock()
	s := m.series[key]
	m.mu.RUnlock()
	if s != nil {
		return s
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s = m.series[key]; s == nil {
		s = newSeries(m, tags.clone())
		m.series[key] = s
	}
	return s
}

// AllSeries returns every tag set recorded so far, sorted by tag key.
func (m *Metric) AllSeries() []*Series {
	m.mu.RLock()
	out := make([]*Series, 0, len(m.series))
	for _, s := range m.series {
		out = append(out, s)
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Tags.key() < out[j].Tags.key() })
	return out
}

// Tags is a sample's tag set. A filter Tags matches every tag set that has
// all of the filter's tags (k6's submetric semantics).
type Tags map[string]string

func (t Tags) key() string {
	if len(t) == 0 {
		return ""
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('\x00')
		b.WriteString(t[k])
		b.WriteByte('\x01')
	}
	return b.String()
}

func (t Tags) clone() Tags {
	c := make(Tags, len(t))
	for k, v := range t {
		c[k] = v
	}
	return c
}

// Matches reports whether t has every tag of filter with the same value.
func (t Tags) Matches(filter Tags) bool {
	for k, v := range filter {
		if t[k] != v {
			return false
		}
	}
	return true
}

// With returns a copy of t with the given tags added or replaced.
func (t Tags) With(kv ...string) Tags {
	c := t.clone()
	for i := 0; i+1 < len(kv); i += 2 {
		c[kv[i]] = kv[i+1]
	}
	return c
}

// String renders tags in k6's submetric form: {a:1,b:2}, sorted by key.
func (t Tags) String() string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + t[k]
	}
	return "{" + strings.Join(parts, ",") + "}"
}
