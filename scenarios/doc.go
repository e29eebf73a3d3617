// Package scenarios is the incident catalogue: each seed incident as a
// scenario with two halves. The unfixed half runs the configuration the
// incident had and must show its SLO violated — proof the scenario has
// teeth; the fixed half runs the fix under the same disruption and the SLO
// must hold. `go test ./scenarios/...` and `gameday run` play the same
// Catalogue.
package scenarios
