package harness_test

import (
	"context"
	"testing"

	"github.com/gameday-dev/gameday/harness"
)

// A handle's verdict: PASS when it did not fail, FAIL when SLO judgements
// account for its failures, ERROR when anything else failed it.
func TestVerdictOf(t *testing.T) {
	for _, c := range []struct {
		name string
		body func(t harness.T)
		want harness.Verdict
	}{
		{"pass", func(t harness.T) {}, harness.Pass},
		{"slo", func(t harness.T) {
			t.Errorf("p(95) 812ms, limit 500ms")
			harness.MarkSLOFailure(t, "p(95) 812ms, limit 500ms")
		}, harness.Fail},
		{"setup", func(t harness.T) { t.Fatalf("harness: start: boom") }, harness.Error},
		{"panic", func(t harness.T) { panic("boom") }, harness.Error},
		{"slo then setup", func(t harness.T) {
			t.Errorf("slo")
			harness.MarkSLOFailure(t, "slo")
			t.Fatalf("revert fault: boom")
		}, harness.Error},
	} {
		r := harness.NewRunner(context.Background(), c.name, nil)
		r.Run(c.body)
		if got := harness.VerdictOf(r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if harness.Error.Word() != "ERROR" || harness.Fail.Word() != "FAIL" || harness.Pass.Word() != "PASS" {
		t.Error("words")
	}
}
