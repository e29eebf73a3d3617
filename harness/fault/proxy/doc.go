// Package proxy is gameday's fault proxy: a transparent proxy in front of
// one service that counts requests per caller → callee edge and injects
// faults with xk6-disruptor's vocabulary.
//
// Without a fault, traffic passes untouched: HTTP/1.1 keep-alive, chunked
// and streaming bodies, upgrades (websockets), gRPC over h2c with its
// trailers, or raw TCP bytes. HTTP/1.x connections are forwarded one to one
// (each client connection gets its own upstream connection, requests and
// answers are read head by head, one goroutine per direction), which keeps
// the cost per hop at or below Toxiproxy's byte pipe (BenchmarkHop*
// print the ratios); HTTP/2 cleartext connections (gRPC) go through a
// net/http reverse proxy speaking h2c upstream. The faults are the kinds of
// package fault/kind, defined there once. With a fault:
//
//   - HTTPFault / GRPCFault (SetHTTPFault, SetGRPCFault): each request is
//     delayed uniformly in [AverageDelay−DelayVariation,
//     AverageDelay+DelayVariation] and, with probability ErrorRate,
//     answered by the proxy with ErrorCode (HTTP) or a trailers-only gRPC
//     status; Exclude leaves paths or gRPC services alone. A fault for
//     another protocol than the service's is refused (ErrProtocolMismatch).
//   - TCPFault, any kind.TCP (AddToxic): latency, bandwidth, reset-peer,
//     timeout, blackhole, slicer, limit-data and down, each mapping itself
//     onto a toxic of an in-process Toxiproxy.
//     HTTP and gRPC traffic detours through it only while a TCP fault is
//     active; TCP-protocol connections are piped straight to the upstream
//     and hand their downstream half to its toxic chain when a fault
//     begins, so faults reach connections opened before the fault.
//   - SetPaused holds every request and byte until unpaused; Block
//     partitions one caller (its connections are reset and refused).
//
// Every fault carries a TTL and clears itself when it passes, even if the
// harness that set it is gone.
//
// In embedded mode the target serves one listener per caller → callee edge
// (Serve(ln, caller)); in sidecar mode one listener serves every caller and
// callers are named by IP (SetCallers), while ControlHandler / Remote /
// RunAgent let the harness drive the proxy over HTTP.
package proxy
