//go:build unix

package proxy

import (
	"errors"
	"net"
	"syscall"
)

// peekState is what a non-blocking peek at a connection saw.
type peekState int

const (
	peekUnknown peekState = iota // not a socket, or its descriptor is gone
	peekIdle                     // nothing to read yet
	peekClosed                   // EOF or a reset
	peekData                     // bytes waiting
)

// peek reads one byte of c without consuming it or blocking.
func peek(c net.Conn) peekState {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return peekUnknown
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return peekUnknown
	}
	state := peekIdle
	var buf [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK):
		case err != nil || n == 0:
			state = peekClosed
		default:
			state = peekData
		}
		return true
	})
	return state
}

// connAlive peeks at an idle connection without blocking: no data and no
// EOF means the peer has not closed it (unexpected bytes from an idle
// upstream count as dead too).
func connAlive(c net.Conn) bool {
	s := peek(c)
	return s == peekUnknown || s == peekIdle
}

// peerClosed peeks at a client connection without blocking: EOF or a
// reset means the client has gone; bytes waiting (a pipelined request) or
// nothing yet means it is still there.
func peerClosed(c net.Conn) bool { return peek(c) == peekClosed }
