package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// The fast path of h1conn: the common request, an HTTP/1.1 request without
// a body, upgrade or Expect whose head arrived whole, and the common
// answer (a status ≥ 200 framed by Content-Length or chunks) are forwarded
// as the bytes that came, reading only what framing and counting need. It
// skips building and re-serialising net/http's Request and Response, the
// largest CPU cost per hop. Anything else takes forward's full path.

// rawHead is a request or response head read in place.
type rawHead struct {
	head           []byte // the whole head, up to and including the blank line
	method         string // request: its method
	path           []byte // request: its path, without the query (in head)
	target         []byte // request: its target, path and query (in head)
	status         int    // response: its status code
	length         int64  // Content-Length; -1 when absent
	chunked, close bool
}

// peekHead finds a complete head among the bytes br already holds (or
// gets with one read); ok is false when there is none yet.
func peekHead(br *bufio.Reader) ([]byte, bool) {
	if br.Buffered() == 0 {
		if _, err := br.Peek(1); err != nil {
			return nil, false
		}
	}
	buf, _ := br.Peek(br.Buffered())
	i := bytes.Index(buf, []byte("\r\n\r\n"))
	if i < 0 {
		return nil, false
	}
	return buf[:i+4], true
}

// parseHeaders reads the framing headers of a head after its first line;
// ok is false for anything the fast path does not handle.
func parseHeaders(h *rawHead, lines []byte) bool {
	h.length = -1
	for len(lines) > 0 {
		i := bytes.Index(lines, []byte("\r\n"))
		if i < 0 {
			return false
		}
		line := lines[:i]
		lines = lines[i+2:]
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || line[0] == ' ' || line[0] == '\t' {
			return false // malformed or folded: let net/http judge it
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 || h.length >= 0 {
				return false
			}
			h.length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) || h.chunked {
				return false
			}
			h.chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			switch {
			case bytes.EqualFold(value, []byte("close")):
				h.close = true
			case bytes.EqualFold(value, []byte("keep-alive")):
			default:
				return false // upgrades and hop-by-hop lists take the full path
			}
		case bytes.EqualFold(name, []byte("Expect")), bytes.EqualFold(name, []byte("Upgrade")):
			return false
		}
	}
	return !(h.chunked && h.length >= 0)
}

// readSimpleRequest reads a body-less HTTP/1.1 request head in place; ok
// is false (and nothing consumed) for any other request.
func readSimpleRequest(br *bufio.Reader) (rawHead, bool) {
	head, ok := peekHead(br)
	if !ok {
		return rawHead{}, false
	}
	eol := bytes.Index(head, []byte("\r\n"))
	first := head[:eol]
	sp1 := bytes.IndexByte(first, ' ')
	sp2 := bytes.LastIndexByte(first, ' ')
	if sp1 <= 0 || sp2 <= sp1 || !bytes.Equal(first[sp2+1:], []byte("HTTP/1.1")) {
		return rawHead{}, false
	}
	target := first[sp1+1 : sp2]
	if len(target) == 0 || target[0] != '/' {
		return rawHead{}, false // absolute-form and the like: full path
	}
	full := target
	if q := bytes.IndexByte(target, '?'); q >= 0 {
		target = target[:q]
	}
	h := rawHead{method: methodName(first[:sp1]), path: target, target: full}
	if !parseHeaders(&h, head[eol+2:]) || h.chunked || h.length > 0 || bytes.IndexByte(target, '%') >= 0 {
		return rawHead{}, false
	}
	h.head = head // valid until br reads again: sent upstream before that
	_, _ = br.Discard(len(head))
	return h, true
}

// methodName is the method as a string, without allocating for the
// common ones.
func methodName(b []byte) string {
	for _, m := range [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodDelete, http.MethodOptions, http.MethodPatch} {
		if string(b) == m {
			return m
		}
	}
	return string(b)
}

// readSimpleResponse reads a final response head in place; ok is false
// (and nothing consumed) for any other answer.
func readSimpleResponse(br *bufio.Reader, method string) (rawHead, bool) {
	head, ok := peekHead(br)
	if !ok || !bytes.HasPrefix(head, []byte("HTTP/1.1 ")) || len(head) < 12 {
		return rawHead{}, false
	}
	code, err := strconv.Atoi(string(head[9:12]))
	if err != nil || code < 200 || code > 599 || (len(head) > 12 && head[12] != ' ' && head[12] != '\r') {
		return rawHead{}, false
	}
	h := rawHead{status: code}
	eol := bytes.Index(head, []byte("\r\n"))
	if !parseHeaders(&h, head[eol+2:]) {
		return rawHead{}, false
	}
	if method == http.MethodHead || code == http.StatusNoContent || code == http.StatusNotModified {
		h.length, h.chunked = 0, false
	} else if h.length < 0 && !h.chunked {
		return rawHead{}, false // read-until-close answers take the full path
	}
	h.head = head // valid until br reads again: written out before that
	_, _ = br.Discard(len(head))
	return h, true
}

// copyBody forwards a response body framed as h says, flushing each chunk
// of a chunked body as it comes.
func copyBody(bw *bufio.Writer, br *bufio.Reader, h rawHead) error {
	if !h.chunked {
		return copyN(bw, br, h.length)
	}
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
		size := bytes.TrimSpace(line)
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			return errors.New("bad chunk size")
		}
		if n == 0 {
			break
		}
		if err := copyN(bw, br, n+2); err != nil { // data and its CRLF
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	for { // trailers, up to the blank line
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			return nil
		}
	}
}

// copyN forwards the next n bytes of br, straight from its buffer (no
// io.LimitReader to allocate for every body).
func copyN(bw *bufio.Writer, br *bufio.Reader, n int64) error {
	for n > 0 {
		if br.Buffered() == 0 {
			if _, err := br.Peek(1); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
		}
		b, _ := br.Peek(int(min(n, int64(br.Buffered()))))
		if _, err := bw.Write(b); err != nil {
			return err
		}
		_, _ = br.Discard(len(b))
		n -= int64(len(b))
	}
	return nil
}

// forwardRaw handles one simple request: it goes upstream and its answer
// is left to the answer goroutine (see answers); false means the
// connection must close.
func (h *h1conn) forwardRaw(req rawHead) bool {
	pl, c, ok := h.open(func() string { return string(req.path) }, func() *http.Request {
		u, _ := url.ParseRequestURI(string(req.target))
		return &http.Request{Method: req.method, URL: u}
	})
	if !ok {
		return false
	}
	if pl.fail {
		h.settle() // earlier answers first
		c.record(outcomeInjectedError)
		return h.writeError(pl.code, pl.body, !req.close)
	}
	if !h.send(req, c) {
		return false
	}
	if req.close {
		h.settle() // nothing more is read from a client that asked to close
		return false
	}
	return true
}

// rawAnswer is the upstream's answer to a simple request: a raw head with
// its body still in body, or a full Response when it is not simple.
type rawAnswer struct {
	rawHead
	body    *bufio.Reader
	full    *http.Response
	release func() // if set, called once the answer is passed on
}
