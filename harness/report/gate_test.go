package report_test

import (
	"testing"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/report"
)

// A failing test binary whose failures the harness never saw is ERROR in
// the report, never an empty pass.
func TestFromTestsNeverPassesAFailedBinary(t *testing.T) {
	r := report.FromTests("x", nil, 1)
	if r.Passed() || r.Verdict() != harness.Error {
		t.Errorf("verdict %q for a failed binary with no records", r.Verdict())
	}
	if r := report.FromTests("x", []harness.TestRecord{{Name: "TestA", Verdict: harness.Pass}}, 0); !r.Passed() {
		t.Errorf("verdict %q, want pass", r.Verdict())
	}
}
