// Package handle defines T, the one test handle every gameday helper
// takes: *testing.T satisfies it, and so does harness.Runner, which
// `gameday run` uses to play the same scenarios outside `go test`.
//
// It is a leaf package so that packages harness itself imports (fault,
// flags) can take the same handle; users write harness.T, an alias.
package handle
