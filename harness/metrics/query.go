package metrics

import "time"

// Aggregate summarises every series of m whose tags match filter (nil
// matches all), over the whole run.
func (m *Metric) Aggregate(filter Tags) Aggregate { return m.aggregate(filter, true) }

// aggregate is Aggregate; without hist it leaves out the trend histogram.
func (m *Metric) aggregate(filter Tags, hist bool) Aggregate {
	out := Aggregate{Type: m.Type}
	m.collect(&out, filter, hist)
	return out
}

// collect merges every matching series' whole-run aggregate into out.
func (m *Metric) collect(out *Aggregate, filter Tags, hist bool) {
	for _, s := range m.AllSeries() {
		if !s.Tags.Matches(filter) {
			continue
		}
		s.mu.Lock()
		out.mergeStats(&s.total, hist)
		s.mu.Unlock()
	}
}

// Window summarises the matching series over [from, to), with per-second
// resolution: a sample counts in the window when its second starts inside
// it. Trend quantiles in a window have ≤ 0.5% relative error.
func (m *Metric) Window(filter Tags, from, to time.Time) Aggregate {
	return m.window(filter, from, to, true)
}

// window is Window; without hist it leaves out the trend histogram.
func (m *Metric) window(filter Tags, from, to time.Time, hist bool) Aggregate {
	out := Aggregate{Type: m.Type}
	first, last := m.reg.second(from), m.reg.second(to)
	if !to.After(from) {
		return out
	}
	for _, s := range m.AllSeries() {
		if !s.Tags.Matches(filter) {
			continue
		}
		s.mu.Lock()
		for i := first; i < last && i < len(s.seconds); i++ {
			out.mergeStats(&s.seconds[i], hist)
		}
		s.mu.Unlock()
	}
	return out
}

// Seconds returns one aggregate per second since the registry's start, up
// to the last second with a sample, merged over the matching series. Index
// i covers [Start()+i s, Start()+(i+1) s).
func (m *Metric) Seconds(filter Tags) []Aggregate {
	var out []Aggregate
	for _, s := range m.AllSeries() {
		if !s.Tags.Matches(filter) {
			continue
		}
		s.mu.Lock()
		for i := range s.seconds {
			for len(out) <= i {
				out = append(out, Aggregate{Type: m.Type})
			}
			out[i].merge(&s.seconds[i])
		}
		s.mu.Unlock()
	}
	return out
}

// Snapshot returns a copy of this series' whole-run aggregate.
func (s *Series) Snapshot() Aggregate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total.clone()
}
