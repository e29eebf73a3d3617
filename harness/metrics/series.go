package metrics

import (
	"math"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// hdrScale turns a value into the histogram's integer unit: 1/1000 of the
// metric's unit (µs for the ms trends, 0.001 for CLS).
const (
	hdrScale  = 1000
	hdrMax    = 1e10 // 1e7 of the metric's unit: about 2.7 h for ms trends
	hdrSigFig = 3
)

// Series is one metric's samples for one exact tag set.
type Series struct {
	Metric *Metric
	Tags   Tags

	mu      sync.Mutex
	total   Aggregate
	seconds []Aggregate
}

func newSeries(m *Metric, tags Tags) *Series {
	s := &Series{Metric: m, Tags: tags}
	s.total.Type = m.Type
	if m.Type == Trend {
		s.total.hdr = hdr.New(1, hdrMax, hdrSigFig)
	}
	return s
}

// Add records one sample taken at t. A NaN or infinite value is dropped:
// it has no place in a sum or a distribution.
func (s *Series) Add(t time.Time, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	sec := s.Metric.reg.second(t)
	s.mu.Lock()
	s.total.add(t, v)
	for len(s.seconds) <= sec {
		s.seconds = append(s.seconds, Aggregate{Type: s.Metric.Type})
	}
	b := &s.seconds[sec]
	if b.Type == Trend && b.sparse == nil {
		b.sparse = sparseHist{}
	}
	b.add(t, v)
	s.mu.Unlock()
}

// Aggregate is the summary of a set of samples: whole run or a window.
type Aggregate struct {
	Type     Type
	Count    uint64  // number of samples
	Sum      float64 // sum of values (a counter's value)
	Min, Max float64
	Trues    uint64    // rate: samples with a non-zero value
	Last     float64   // gauge: the latest value
	LastTime time.Time // when Last was recorded

	hdr    *hdr.Histogram // whole-run trends
	sparse sparseHist     // windowed trends
}

func (a *Aggregate) add(t time.Time, v float64) {
	if a.Count == 0 || v < a.Min {
		a.Min = v
	}
	if a.Count == 0 || v > a.Max {
		a.Max = v
	}
	a.Count++
	a.Sum += v
	if v != 0 {
		a.Trues++
	}
	if !t.Before(a.LastTime) {
		a.Last, a.LastTime = v, t
	}
	switch {
	case a.hdr != nil:
		_ = a.hdr.RecordValue(hdrValue(v)) // clamped, cannot be out of range
	case a.sparse != nil:
		a.sparse.add(v)
	}
}

func (a *Aggregate) merge(b *Aggregate) { a.mergeStats(b, true) }

// mergeStats adds b's samples to a; without hist it skips the histograms
// (enough for count, sum, min, max, last, rate and avg).
func (a *Aggregate) mergeStats(b *Aggregate, hist bool) {
	if b.Count == 0 {
		return
	}
	if a.Count == 0 || b.Min < a.Min {
		a.Min = b.Min
	}
	if a.Count == 0 || b.Max > a.Max {
		a.Max = b.Max
	}
	a.Count += b.Count
	a.Sum += b.Sum
	a.Trues += b.Trues
	if !b.LastTime.Before(a.LastTime) {
		a.Last, a.LastTime = b.Last, b.LastTime
	}
	switch {
	case !hist:
	case b.hdr != nil:
		if a.hdr == nil {
			a.hdr = hdr.New(1, hdrMax, hdrSigFig)
		}
		a.hdr.Merge(b.hdr)
	case b.sparse != nil:
		if a.sparse == nil {
			a.sparse = sparseHist{}
		}
		for k, c := range b.sparse {
			a.sparse[k] += c
		}
	}
}

func (a *Aggregate) clone() Aggregate {
	c := Aggregate{Type: a.Type}
	c.merge(a)
	return c
}

// Avg is the mean value, 0 without samples.
func (a Aggregate) Avg() float64 {
	if a.Count == 0 {
		return 0
	}
	return a.Sum / float64(a.Count)
}

// Rate is the share of non-zero samples (a k6 rate's value), 0 without samples.
func (a Aggregate) Rate() float64 {
	if a.Count == 0 {
		return 0
	}
	return float64(a.Trues) / float64(a.Count)
}

// Quantile returns the value at quantile q (0..1) of a trend's samples:
// the nearest rank, the smallest sample with at least q of the samples at
// or below it, within the histogram's precision (3 significant digits for
// a whole run, 0.5% for a window), clamped to the exact Min and Max. It is
// 0 without samples.
func (a Aggregate) Quantile(q float64) float64 {
	if a.Count == 0 {
		return 0
	}
	var v float64
	switch {
	case q <= 0:
		return a.Min
	case q >= 1:
		return a.Max
	case a.hdr != nil:
		// ask HDR for the exact rank: its own rule rounds q·n to the nearest
		// rank, the sparse histogram and the docs take the ceiling
		n := float64(a.hdr.TotalCount())
		v = float64(a.hdr.ValueAtQuantile(100*nearestRank(q, a.hdr.TotalCount())/n)) / hdrScale
	case a.sparse != nil:
		v = a.sparse.quantile(q, a.Count)
	default:
		return a.Avg()
	}
	return math.Min(math.Max(v, a.Min), a.Max)
}

// nearestRank is the 1-based rank of quantile q among n samples:
// ceil(q·n), at least 1, forgiving the float noise of q·n (0.7·10 is
// 7.000000000000001 and must still be rank 7).
func nearestRank(q float64, n int64) float64 {
	x := q * float64(n)
	return math.Max(1, math.Ceil(x-1e-9*math.Max(1, x)))
}

func hdrValue(v float64) int64 {
	x := v * hdrScale
	switch {
	case x < 0.5 || math.IsNaN(x):
		return 0 // zero (a reused connection's connect time) must read back as zero
	case x > hdrMax:
		return hdrMax
	}
	return int64(math.Round(x))
}
