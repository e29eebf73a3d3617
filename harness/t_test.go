package harness

import (
	"context"
	"testing"
)

var _ T = (*testing.T)(nil)

func TestRunnerFatalStopsBodyAndRunsCleanups(t *testing.T) {
	r := NewRunner(context.Background(), "x", nil)
	var order []string
	reached := false
	r.Run(func(t T) {
		t.Cleanup(func() { order = append(order, "first") })
		t.Cleanup(func() { order = append(order, "second") })
		t.Fatalf("stop %d", 1)
		reached = true
	})
	if reached {
		t.Fatal("Fatalf did not stop the body")
	}
	if !r.Failed() || len(r.Messages()) != 1 || r.Messages()[0] != "stop 1" {
		t.Fatalf("messages = %q", r.Messages())
	}
	if len(order) != 2 || order[0] != "second" || order[1] != "first" {
		t.Fatalf("cleanup order = %v", order)
	}
}

func TestRunnerRecoversPanic(t *testing.T) {
	r := NewRunner(context.Background(), "x", nil)
	cleaned := false
	r.Run(func(t T) {
		t.Cleanup(func() { cleaned = true })
		panic("boom")
	})
	if !r.Failed() || !cleaned {
		t.Fatalf("failed=%v cleaned=%v", r.Failed(), cleaned)
	}
}
