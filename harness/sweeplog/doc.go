// Package sweeplog records every sweep of leftovers — dead docker runs,
// their faults, stale browser profiles — so a cleanup never happens
// silently: each line goes to the caller's writer and, with a timestamp,
// to FileName in gameday's private state directory, where sweeps done by
// a watchdog nobody is watching can be read later.
package sweeplog
