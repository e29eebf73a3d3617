// Package fixedhttp is the HTTP server benchmarks measure their clients
// against: it answers every request with the same 200 "ok", parsing as
// little as possible (a request ends at its first empty line; bodies are
// not expected).
package fixedhttp

import (
	"bufio"
	"bytes"
	"net"
)

var resp = []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")

// Serve answers on every connection ln accepts until ln is closed.
func Serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go answer(c)
	}
}

func answer(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		if bytes.Equal(line, []byte("\r\n")) {
			if _, err := c.Write(resp); err != nil {
				return
			}
		}
	}
}
