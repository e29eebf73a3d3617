// Package fault injects bounded, always-reverted faults into the services of
// a running system under test, with xk6-disruptor's vocabulary.
//
// Each fault kind is defined once, in package fault/kind (a small struct
// with its parameters, Validate, text form and CLI flags, one per file, in
// the manner of Toxiproxy's toxics); this package names them, and Apply
// puts them into a running system according to their layer: HTTP and GRPC
// (delays and errors at the service's fault proxy), the TCP kinds Latency,
// Bandwidth, ResetPeer, Timeout, Blackhole, Slicer, LimitData and Down, the
// lifecycle kinds Kill, Pause and Partition, and the container-only
// MemoryLimit and CPULimit. Each kind needs one optional capability of
// target.Running (Proxied, Killer, Pauser, Partitioner, Limiter) and is
// refused with target.ErrUnsupported when the
// running system lacks it.
//
// An Injector puts faults into one target.Running. Before anything is
// injected it checks the blast radius: the selector (a service name or a
// path.Match glob over the running system's services) must match at least
// one and at most MaxTargets services (default 1), none of them forbidden.
// Every injection lasts a bounded Schedule and is reverted at its end, on
// Revert, when its context is cancelled, in a test's Cleanup (InjectT, so a
// failing or panicking test reverts too) and on SIGINT/SIGTERM. Should the
// process die without running any of these (go test -timeout), the fault
// proxies drop their faults by themselves after the injection's TTL.
// Each inject and revert lands on the run's timeline.
//
// NewControlServer exposes an Injector over HTTP (bearer token, loopback
// only) so `gameday fault` can drive a running `gameday demo`; Client is its
// client and ParseSpec turns `kind` plus string parameters into a Fault.
package fault
