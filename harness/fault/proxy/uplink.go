package proxy

import "errors"

// uplink runs the fast path's upstream exchanges of one client connection
// on a goroutine of its own: the connection's goroutine hands it each
// request and waits for the answer's head. Only one side runs at a time
// (the hand-offs order every access to the h1conn), so this is a call on
// another goroutine, not concurrency.
//
// Why: it costs two goroutine switches per request but saves latency when
// a core is idle or busy elsewhere. The Go scheduler parks an idle core's
// thread in epoll_wait, and the kernel must wake it for each network event
// a write causes; a hand-off just before the write (the request upstream,
// the answer to the caller) wakes such a thread to spin, and a spinning
// thread takes the event from the netpoller at once. Toxiproxy's chain of
// goroutines per direction gets the same effect; a single goroutine per
// connection, for all its fewer steps, lost to it on BenchmarkHopLatency
// under load (added p50 0.7 against Toxiproxy, 1.05 with the uplink).
type uplink struct {
	jobs    chan rawHead
	results chan upResult
	done    chan struct{}
}

type upResult struct {
	resp rawAnswer
	raw  bool
	err  error
}

// exchange sends req upstream and reads the answer's head, retrying once
// on a stale connection, on the uplink goroutine.
func (h *h1conn) exchange(req rawHead) (rawAnswer, bool, error) {
	if h.link == nil {
		h.link = &uplink{jobs: make(chan rawHead), results: make(chan upResult), done: make(chan struct{})}
		go h.runUplink(h.link)
	}
	h.link.jobs <- req
	r := <-h.link.results
	return r.resp, r.raw, r.err
}

func (h *h1conn) runUplink(l *uplink) {
	defer close(l.done)
	for req := range l.jobs {
		resp, raw, err := h.roundTripRaw(req, true)
		if errors.Is(err, errRetry) {
			resp, raw, err = h.roundTripRaw(req, false)
		}
		l.results <- upResult{resp, raw, err}
	}
}

// stopUplink ends the uplink goroutine, if one runs, and waits for it.
func (h *h1conn) stopUplink() {
	if h.link != nil {
		close(h.link.jobs)
		<-h.link.done
		h.link = nil
	}
}
