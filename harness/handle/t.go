package handle

import "context"

// T is what gameday's helpers need from a test.
type T interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Failed() bool
	Name() string
	Context() context.Context
}
