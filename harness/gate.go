package harness

import (
	"sync"
)

// TestRecord is how one test that used the harness ended, for the gate
// reports a user's own `go test` writes (see report.Main).
type TestRecord struct {
	Name        string
	Verdict     Verdict
	Skipped     bool
	SLOFailures []string // what the SLO judgements found broken
	Runs        []*Run   // the load runs it waited for, in order
}

// testRecords collects records between RecordTests and its stop func.
var testRecords struct {
	mu   sync.Mutex
	on   bool
	open map[T]*TestRecord
	done []TestRecord
}

// RecordTests starts recording every test handle that starts a system or
// waits for a load run; stop ends the recording and returns the finished
// tests' records in the order they ended.
func RecordTests() (stop func() []TestRecord) {
	testRecords.mu.Lock()
	testRecords.on, testRecords.open, testRecords.done = true, map[T]*TestRecord{}, nil
	testRecords.mu.Unlock()
	return func() []TestRecord {
		testRecords.mu.Lock()
		defer testRecords.mu.Unlock()
		testRecords.on = false
		out := testRecords.done
		testRecords.open, testRecords.done = nil, nil
		return out
	}
}

// noteTest opens t's record (once) when recording is on; the record is
// closed, with t's verdict, when t's cleanups run.
func noteTest(t T) *TestRecord {
	testRecords.mu.Lock()
	defer testRecords.mu.Unlock()
	if !testRecords.on || !recordable(t) {
		return nil
	}
	if r := testRecords.open[t]; r != nil {
		return r
	}
	r := &TestRecord{Name: t.Name()}
	testRecords.open[t] = r
	t.Cleanup(func() {
		v := VerdictOf(t)
		slo := SLOFailures(t)
		forgetSLO(t)
		skipped := false
		if s, ok := t.(interface{ Skipped() bool }); ok {
			skipped = s.Skipped()
		}
		testRecords.mu.Lock()
		defer testRecords.mu.Unlock()
		delete(testRecords.open, t)
		if !testRecords.on {
			return
		}
		r.Verdict, r.SLOFailures, r.Skipped = v, slo, skipped
		testRecords.done = append(testRecords.done, *r)
	})
	return r
}

// noteRun adds a finished load run to t's record.
func noteRun(t T, run *Run) {
	r := noteTest(t)
	if r == nil {
		return
	}
	testRecords.mu.Lock()
	r.Runs = append(r.Runs, run)
	testRecords.mu.Unlock()
}

func recordable(t T) bool { return t != nil && comparable(t) }
