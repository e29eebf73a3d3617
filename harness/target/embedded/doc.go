// Package embedded runs a system under test inside the test process: every
// service on its own loopback listener, with a fault proxy in front of each.
//
// Each caller → callee edge gets its own proxy listener, so the proxy knows
// who called without any header or cooperation from the service; each
// service also gets a "client" listener for the harness's own traffic
// (Running.Addr). A service learns where its dependencies are from
// target.AddrEnv(dep), which points at its edge listener.
//
// The running system supports faults (target.Proxied, target.TCPFaulter),
// kill and restart on the same port (target.Killer), pause
// (target.Pauser) and network partitions (target.Partitioner). Memory and
// CPU limits need containers: the Limiter methods return
// target.ErrUnsupported, but State reports restarts and exits.
package embedded
