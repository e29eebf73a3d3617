//go:build unix

package proxy

import (
	"errors"
	"net"
	"syscall"
)

// connAlive peeks at an idle connection without blocking: no data and no
// EOF means the peer has not closed it.
func connAlive(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	alive := true
	var buf [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK):
		case err != nil || n == 0:
			alive = false // reset or EOF
		default:
			alive = false // unexpected bytes from an idle upstream
		}
		return true
	})
	return alive
}

// peerClosed peeks at a client connection without blocking: EOF or a
// reset means the client has gone; bytes waiting (a pipelined request) or
// nothing yet means it is still there.
func peerClosed(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	closed := false
	var buf [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK):
		case err != nil || n == 0:
			closed = true
		}
		return true
	})
	return closed
}
