// Package harness is gameday's engine: an Env is a running system under
// test with its metric store and timeline; load, faults and flags act on it.
package harness
