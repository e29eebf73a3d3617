package slo

import (
	"context"
	"time"
)

// Status is a check's verdict at one evaluation.
type Status struct {
	Healthy bool
	// NoData is true when there was nothing to judge (no events yet, a
	// source that could not be read); such a status counts as healthy.
	NoData bool
	Detail string // what was measured, for messages and the timeline
}

// Check is evaluated once per tick of a Monitor, from one goroutine.
type Check interface {
	Eval(ctx context.Context, now time.Time) Status
	String() string
}

// CheckFunc adapts a function to Check; Name is its String.
type CheckFunc struct {
	Name string
	Func func(ctx context.Context, now time.Time) Status
}

// Eval calls f.Func.
func (f CheckFunc) Eval(ctx context.Context, now time.Time) Status { return f.Func(ctx, now) }

func (f CheckFunc) String() string { return f.Name }
