// Package docker is the docker target: it runs a target.System with one
// container per service on a private network, all from one locally built
// `FROM scratch` image holding the system's static binary — no registry is
// needed or used.
//
// Each service container has the network alias "<svc>-real"; a fault-proxy
// sidecar (the same image in `agent` mode) takes the alias "<svc>" and
// forwards to it, so callers reach the sidecar without any code change and
// faults, partitions and call counts happen there. Only public services'
// sidecars and every sidecar's control port are published, on 127.0.0.1.
//
// Everything a run creates carries the labels gameday=1 and
// gameday.run=<run id> (plus the creating host and PID), so Stop, the
// sweeper run at every Start, and `gameday clean` find it without Ryuk,
// which the package disables.
package docker
