// Package soak runs many short gameday runs that are interrupted in every
// way a real run can be — a test panic, t.Fatal, a context timeout,
// SIGINT, SIGTERM, SIGKILL, at a random point — and checks after each that
// nothing was left behind: containers, networks, processes, listening
// ports, temp dirs, active faults, changed flags. `make soak` runs it
// (cmd/gameday-soak); a smoke of the leak checker runs in `make test`.
//
// A short run is a child process (this binary again, see Child): a tiny
// system of three demo services (flags, product-catalog, recommendation),
// a small load (20 requests/s for 3 s), a flag change and a fault (an HTTP
// error fault on embedded, a pause through the engine on docker).
package soak
