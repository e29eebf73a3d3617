// Package entrypoint is what runs inside the docker target's containers:
// Serve runs one service of a system (`gameday serve SERVICE`) and Agent
// runs the fault-proxy sidecar in front of it (`gameday agent ...`), and
// Reaper the run's watchdog, which sweeps the run when its owner dies
// (`gameday reaper ...`).
// cmd/gameday wires them to its subcommands; any binary given to the
// docker target as a System's Binary must do the same.
//
// The package is light (no Docker client) so those binaries stay small.
package entrypoint
