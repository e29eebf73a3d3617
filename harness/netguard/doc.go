// Package netguard keeps the harness's own traffic where the traffic rule
// allows it: loopback (127.0.0.0/8, ::1) and the hosts a run started.
//
// A name is judged by what it resolves to, never by how it reads: if
// "localhost" resolves to a routable address, it is refused. Connections
// are dialled to the addresses that were checked, so a second DNS answer
// cannot slip another address in between the check and the dial.
//
// Every HTTP client of the harness — load, health checks, readiness
// waits, pollers, the flag and fault admin clients — is built here
// (Client, Transport) or dials through Guard.DialContext.
package netguard
