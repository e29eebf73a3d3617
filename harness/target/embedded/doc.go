// Package embedded is the local target: it runs a system under test on
// this machine, every service on its own loopback port with a fault proxy
// in front of it. A service is a Go function served in the test process
// (the bundled demo), a program started as a process, or an external
// service already running at a URL.
//
// Each caller → callee edge gets its own proxy listener, so the proxy
// knows who called without any header or cooperation from the service;
// each service also gets a "client" listener for the harness's own
// traffic (Running.Addr). A caller learns where a callee is through its
// own variable (target.Call, or target.AddrEnv for Deps), which points at
// its edge listener; an external caller is told what to set instead
// (Running.Settings).
//
// A process gets a free port, passed as it wants it (ListenEnv, or
// {port}/{addr} placeholders in its args and env); starts once the
// services it calls or starts After are ready; is ready when its Health path answers 200
// or its port accepts; has its output streamed to Config.Log and
// ArtifactDir/logs/SERVICE.log; is stopped with SIGTERM then SIGKILL
// after its grace period; and dies with the test process (it is forked
// from a thread locked for the process's life, with SIGKILL as its
// parent-death signal). A program with a fixed port runs in a network
// namespace of its own, linked to the host by a veth pair (root on Linux).
//
// The running system supports faults (target.Proxied, target.TCPFaulter),
// kill and restart on the same port and a graceful StopService
// (target.Killer), pause (target.Pauser: SIGSTOP/SIGCONT for processes,
// the proxy holding traffic for the others) and network partitions
// (target.Partitioner). Memory and CPU limits (target.Limiter) apply to
// processes through cgroups (v2, or v1 on a v1 host) where the machine
// lets gameday create them; otherwise they return target.ErrUnsupported
// saying what is missing. State reports restarts, exits and OOM kills;
// a program that exits by itself or is OOM-killed is also a lifecycle
// event (target.EventSource), which the harness puts on the timeline.
package embedded
