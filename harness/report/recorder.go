package report

import (
	"fmt"
	"sync"

	"github.com/gameday-dev/gameday/harness"
)

// Recorder is an assert.TestingT for running assertions outside go test:
// it collects every failure message instead of failing a test. It is safe
// for concurrent use; the zero value is ready.
type Recorder struct {
	mu   sync.Mutex
	msgs []string
}

// Errorf records one failure.
func (r *Recorder) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	r.msgs = append(r.msgs, msg)
	r.mu.Unlock()
}

// Helper does nothing; it lets assertion helpers call t.Helper().
func (r *Recorder) Helper() {}

// Failed reports whether anything was recorded.
func (r *Recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs) > 0
}

// Messages returns a copy of the recorded failures, in order.
func (r *Recorder) Messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// Scenario fills a Scenario from what was recorded: PASS when nothing
// failed and no measure missed its expectation, FAIL otherwise (a Recorder
// only collects SLO judgements).
func (r *Recorder) Scenario(name string, run *harness.Run, measured ...Measure) Scenario {
	msgs := r.Messages()
	passed := len(msgs) == 0
	for _, m := range measured {
		passed = passed && !m.Failed
	}
	v := harness.Fail
	if passed {
		v = harness.Pass
	}
	return Scenario{Name: name, Verdict: v, Failures: msgs, Run: run, Measured: measured}
}
