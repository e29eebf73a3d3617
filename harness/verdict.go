package harness

import (
	"reflect"
	"sync"
)

// Verdict is how a gate judges one test or scenario half.
type Verdict string

const (
	// Pass: every SLO held (or, for an unfixed half, was violated as expected).
	Pass Verdict = "pass"
	// Fail: an SLO gate broke. `gameday run` exits 1.
	Fail Verdict = "fail"
	// Error: the gate could not run (setup, start, a missing browser or
	// engine, a harness failure, an interrupt). `gameday run` exits 2.
	Error Verdict = "error"
)

// Word is the verdict as the console and reports print it.
func (v Verdict) Word() string {
	switch v {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	}
	return "ERROR"
}

// sloMarks holds, per test handle, the messages of failed SLO judgements:
// what tells an SLO that broke (FAIL) from a test that broke elsewhere
// (ERROR) when the handle is a *testing.T, which keeps no messages.
var sloMarks sync.Map // handle → *sloMark

type sloMark struct {
	mu   sync.Mutex
	msgs []string
}

// MarkSLOFailure records on handle t that an SLO judgement failed with msg.
// The assertions package calls it beside t.Errorf for every SLO it finds
// broken (not for an assertion it could not evaluate, which is an error of
// the test). Handles that are not comparable are ignored.
func MarkSLOFailure(t any, msg string) {
	if t == nil || !comparable(t) {
		return
	}
	v, _ := sloMarks.LoadOrStore(t, &sloMark{})
	m := v.(*sloMark)
	m.mu.Lock()
	m.msgs = append(m.msgs, msg)
	m.mu.Unlock()
}

// SLOFailures returns the SLO failures recorded on t so far.
func SLOFailures(t any) []string {
	if t == nil || !comparable(t) {
		return nil
	}
	v, ok := sloMarks.Load(t)
	if !ok {
		return nil
	}
	m := v.(*sloMark)
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.msgs...)
}

// forgetSLO drops t's marks (when its test has ended and been recorded).
func forgetSLO(t any) {
	if t != nil && comparable(t) {
		sloMarks.Delete(t)
	}
}

// VerdictOf judges a finished handle: PASS when it did not fail, FAIL when
// every way it failed is accounted for by SLO judgements, ERROR otherwise.
// With a *testing.T only the presence of SLO failures can be seen: a test
// that broke an SLO and then failed elsewhere too is FAIL. A Runner counts
// its failures, so there any failure beyond the SLO ones makes it ERROR.
func VerdictOf(t T) Verdict {
	if !t.Failed() {
		return Pass
	}
	slo := SLOFailures(t)
	if len(slo) == 0 {
		return Error
	}
	if r, ok := t.(*Runner); ok && len(r.Messages()) > len(slo) {
		return Error
	}
	return Fail
}

func comparable(v any) bool { return reflect.TypeOf(v).Comparable() }
