// Package docker is the docker target: it runs a target.System with one
// container per service on a private network, all from one locally built
// `FROM scratch` image holding the system's static binary — no registry is
// needed or used (see package binary for the build and EnsureImage for the
// image, both cached by content hash).
//
// Each service has a fault-proxy sidecar (the same image in `agent` mode,
// proxy.RunAgent) that takes the alias "<svc>" on the network and forwards
// to the service, so callers reach the sidecar without any code change. The
// service's own container joins the sidecar's network namespace and listens
// on UpstreamPort there: only sidecars have network endpoints, which is
// what keeps a start of the demo's 28 containers cheap for the engine
// (see startReal). Only the sidecars' service and control ports are
// published, on 127.0.0.1. The sidecars name their callers from a table of
// sidecar IPs the target sends them, so Edges counts "web -> api", and
// traffic from the host is "client".
//
// A Running implements target.Running, Proxied (proxy.Remote per sidecar),
// TCPFaulter, Killer (SIGKILL; the restart policy applies, see Kill),
// Pauser (docker pause), Partitioner (at the callee's sidecar: only the
// named caller is cut off) and Limiter (memory and CPU limits updated live;
// State reports restarts and OOM kills). Events and Watch report OOM kills,
// exits and restarts in a shape ready for the run's timeline.
//
// Everything a run creates carries the labels gameday=1 and
// gameday.run=<run id> (plus the creating host and PID), so Stop, the
// sweeper run at every Start (Sweep) and `gameday clean` (Clean) find it
// without Ryuk, which the package disables. Available and Auto let the
// harness fall back to the embedded target when no engine answers.
package docker
