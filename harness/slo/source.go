package slo

import (
	"context"
	"time"
)

// Counts are good and all events a source has counted since it started.
type Counts struct {
	Good, Total uint64
}

// Bad is Total − Good.
func (c Counts) Bad() uint64 { return c.Total - c.Good }

// Sub returns c − before, per field (0 where a counter went backwards, as
// after a proxy restart).
func (c Counts) Sub(before Counts) Counts {
	d := Counts{}
	if c.Good > before.Good {
		d.Good = c.Good - before.Good
	}
	if c.Total > before.Total {
		d.Total = c.Total - before.Total
	}
	d.Good = min(d.Good, d.Total)
	return d
}

// Source counts an objective's events. Counts are cumulative: a Monitor
// takes the difference between two calls as what happened in between.
type Source interface {
	// Counts returns the events counted up to now. It is called from one
	// goroutine at a time.
	Counts(ctx context.Context, now time.Time) (Counts, error)
	// String names what is counted, for messages and the timeline.
	String() string
}

// SourceFunc adapts a function to Source; Name is its String.
type SourceFunc struct {
	Name string
	Func func(ctx context.Context, now time.Time) (Counts, error)
}

// Counts calls f.Func.
func (f SourceFunc) Counts(ctx context.Context, now time.Time) (Counts, error) {
	return f.Func(ctx, now)
}

func (f SourceFunc) String() string { return f.Name }
