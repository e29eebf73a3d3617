// Package docker is the docker target: it runs a target.System with one
// container per service on a private network, each behind a fault-proxy
// sidecar. Every service runs as a target.Container (see containerOf): a
// team's container configured with testcontainers-go's own request or a
// module's Run, or — for a Go function like the demo's services — a
// container of one locally built `FROM scratch` image holding the system's
// static binary (see package binary for the build and EnsureImage for the
// image, both cached by content hash). No registry is needed or used.
//
// The sidecar (`BINARY agent`, proxy.RunAgent; for a system of containers
// only, the small AgentPackage) holds the service's name on the run network,
// so callers reach it without any change to them. Two layouts follow from
// whether the target can choose the container's port:
//
//   - shared (Container.ListenEnv, the demo's services): the container
//     joins its sidecar's network namespace and listens on UpstreamPort
//     there; only sidecars have network endpoints, which is what keeps a
//     start of the demo's 28 containers cheap for the engine. Created
//     through the Docker client directly (see run).
//   - alias (a team's container, ports hard-coded): the container is started
//     through testcontainers (its wait strategies, Dockerfile builds, files
//     and hooks apply) with an endpoint of its own under RealAlias, and the
//     sidecar takes over the service's name and port and forwards to it.
//
// Only the sidecars' service and control ports and a team's containers'
// exposed ports are published, on 127.0.0.1 (testcontainers is pointed at
// 127.0.0.1 too). The sidecars name their callers from a table of the
// services' IPs the target sends them, so Edges counts "web -> api", and
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
