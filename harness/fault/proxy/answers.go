package proxy

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The fast path runs each client connection on two goroutines, one per
// direction, as a byte pipe does: the connection's goroutine reads a
// request, sends it upstream and goes back to reading the client, and an
// answer goroutine, parked on the upstream connection, passes each answer
// on as it comes. Each network event wakes the goroutine that handles it,
// with no hand-off between goroutines on the way. On a quiet machine a
// single goroutine per connection, or one that hands each exchange to a
// helper goroutine, cost the hop about 1 µs more per request
// (BenchmarkHopLatency). The request side also learns for free when a
// caller leaves: it is parked on the client and reads the close at once,
// so no answer needs a look at the socket first (see callerLeft, which
// the full path still uses).
//
// Requests go upstream in order and their answers come back in order (a
// pipelining client gets them in order too). The request side touches the
// client's writer only when no answer is pending (settle), and the
// upstream's reader only when no answer goroutine runs (detach).

// answers is the answer goroutine of one upstream connection.
type answers struct {
	up      net.Conn
	br      *bufio.Reader
	tox     bool
	jobs    chan *job // sent upstream, not yet answered, oldest first; closed by the request side to stop
	free    chan *job // jobs to reuse: at most maxInFlight in flight
	stop    atomic.Bool
	dead    atomic.Bool // the connection failed or closed: do not reuse it
	done    chan struct{}
	pending sync.WaitGroup
}

// job is a request sent upstream and waiting for its answer.
type job struct {
	c      call
	method string
	close  bool   // the client asked to close after the answer
	head   []byte // the request head, kept to resend on a stale connection
	retry  bool   // the connection had been used before: a failure with no answer may be stale
}

// maxInFlight bounds the requests of a pipelining client that are upstream
// at once; the request side waits for an answer beyond it.
const maxInFlight = 8

// errDead stands for the first read of a job sent on a connection already
// known to be dead.
var errDead = errors.New("upstream connection closed")

// send forwards a simple request upstream and leaves its answer to the
// answer goroutine; false means it could not be sent (recorded).
func (h *h1conn) send(req rawHead, c call) bool {
	reused, err := h.ready()
	if err != nil {
		c.record(outcomeConnError)
		return false
	}
	a := h.ans
	j := <-a.free
	j.c, j.method, j.close, j.retry = c, req.method, req.close, reused
	j.head = append(j.head[:0], req.head...)
	a.pending.Add(1)
	a.jobs <- j // before the write: the answer finds its job waiting
	_, err = h.upBW.Write(req.head)
	if err == nil {
		err = h.upBW.Flush()
	}
	if err != nil {
		_ = a.up.Close() // the answer goroutine fails the job, or retries it
	}
	return true
}

// ready makes sure an upstream connection and its answer goroutine are
// there; reused tells whether the connection served requests before.
func (h *h1conn) ready() (reused bool, err error) {
	if h.ans != nil && (h.ans.dead.Load() || h.upTox != h.f.p.tox.active()) {
		h.closeUp() // it failed, or a TCP fault began or ended: switch paths
	}
	if h.ans != nil {
		return true, nil
	}
	if reused, err = h.upstream(); err != nil {
		return false, err
	}
	a := &answers{up: h.up, br: h.upBR, tox: h.upTox, jobs: make(chan *job, maxInFlight),
		free: make(chan *job, maxInFlight), done: make(chan struct{})}
	for range maxInFlight {
		a.free <- &job{}
	}
	h.ans = a
	go h.answer(a)
	return reused, nil
}

// settle waits until every request sent upstream has been answered.
func (h *h1conn) settle() {
	if h.ans != nil {
		h.ans.pending.Wait()
	}
}

// detach ends the answer goroutine after the answers pending and leaves
// the upstream connection, if still good, to the request side (the full
// path reads its answers itself).
func (h *h1conn) detach() {
	a := h.endAnswers(func(a *answers) { _ = a.up.SetReadDeadline(time.Unix(1, 0)) })
	if a == nil {
		return
	}
	if a.dead.Load() || a.br.Buffered() > 0 {
		h.closeUp() // failed, or bytes nobody asked for: not to be trusted
		return
	}
	_ = a.up.SetReadDeadline(time.Time{})
	h.upUsed = time.Now() // it was watched until now
}

// endAnswers stops the answer goroutine, if one runs, after the answers
// pending: wake interrupts its read.
func (h *h1conn) endAnswers(wake func(*answers)) *answers {
	a := h.ans
	if a == nil {
		return nil
	}
	a.pending.Wait()
	a.stop.Store(true)
	close(a.jobs)
	wake(a)
	<-a.done
	h.ans = nil
	return a
}

// answer passes the upstream's answers on to the client, one per job in
// order. Once the connection is dead it answers what is still sent
// (retried, or failed) until the request side stops it.
func (h *h1conn) answer(a *answers) {
	defer close(a.done)
	clientOpen := true
	for {
		var (
			j   *job
			ok  bool
			err = errDead
		)
		if !a.dead.Load() {
			if _, err = a.br.Peek(1); err != nil && a.stop.Load() {
				return
			}
			select {
			case j, ok = <-a.jobs:
			default:
				// The upstream closed the idle connection, or spoke unasked.
				a.kill()
				continue
			}
		} else {
			j, ok = <-a.jobs
		}
		if !ok {
			return
		}
		if err != nil {
			a.kill()
		}
		if clientOpen {
			clientOpen = h.answerJob(a, j, err)
			if !clientOpen {
				_ = h.c.Close() // the request side stops reading
				a.kill()
			}
		} else {
			j.c.record(outcomeConnError)
		}
		a.free <- j
		a.pending.Done()
	}
}

// kill marks the connection dead and closes it.
func (a *answers) kill() {
	a.dead.Store(true)
	_ = a.up.Close()
}

// answerJob reads j's answer (peeked: the first read's error) and passes
// it on; false means the client connection must close (the outcome is
// recorded either way).
func (h *h1conn) answerJob(a *answers, j *job, peeked error) bool {
	p := h.f.p
	resp, raw, answered, err := readAnswer(a.br, j.method, h.bw, peeked)
	if err != nil && !answered && j.retry {
		// Closed by the upstream while idle, just as the request went out:
		// once more on a fresh connection.
		resp, raw, err = h.retryStale(a.tox, j)
	}
	if resp.release != nil {
		defer resp.release()
	}
	if err == nil && !p.waitUnpaused(p.ctx) {
		err = errors.New("proxy closed")
	}
	if err != nil {
		j.c.record(outcomeConnError)
		return false
	}
	// A caller that gave up before the answer came is no success: its
	// request side, parked on the client, read the close meanwhile.
	gone := h.gone.Load()
	var werr error
	if raw {
		_, werr = h.bw.Write(resp.head)
		if werr == nil {
			werr = copyBody(h.bw, resp.body, resp.rawHead)
		}
	} else {
		werr = h.writeFull(resp.full)
		resp.close = resp.full.Close
		resp.status = resp.full.StatusCode
	}
	if !h.delivered(werr, gone, &j.c) {
		return false
	}
	j.c.record(statusOutcome(resp.status))
	return !j.close && !resp.close
}

// retryStale sends j once more on a connection of its own and reads the
// answer; release closes that connection once the answer is passed on.
func (h *h1conn) retryStale(tox bool, j *job) (rawAnswer, bool, error) {
	up, err := h.dialUp(tox)
	if err != nil {
		return rawAnswer{}, false, err
	}
	stop := context.AfterFunc(h.f.p.ctx, func() { _ = up.Close() })
	release := func() { stop(); _ = up.Close() }
	if _, err := up.Write(j.head); err != nil {
		release()
		return rawAnswer{}, false, err
	}
	resp, raw, _, err := readAnswer(bufio.NewReader(up), j.method, h.bw, nil)
	if err != nil {
		release()
		return rawAnswer{}, false, err
	}
	resp.release = release
	return resp, raw, nil
}

// readAnswer reads the answer head to a request of method from br, after
// passing interim 1xx answers on to bw. peeked is the error of a first
// read already made; answered tells whether any answer came (then a
// failure is no stale connection).
func readAnswer(br *bufio.Reader, method string, bw *bufio.Writer, peeked error) (resp rawAnswer, raw, answered bool, err error) {
	err = peeked
	for err == nil {
		if _, err = br.Peek(1); err != nil {
			break
		}
		if head, ok := readSimpleResponse(br, method); ok {
			return rawAnswer{rawHead: head, body: br}, true, answered, nil
		}
		var full *http.Response
		if full, err = http.ReadResponse(br, &http.Request{Method: method}); err != nil {
			break
		}
		if full.StatusCode >= 200 {
			return rawAnswer{full: full}, false, true, nil
		}
		if full.StatusCode == http.StatusSwitchingProtocols {
			full.Body.Close()
			return rawAnswer{}, false, true, errors.New("switching protocols without an upgrade request")
		}
		// An interim answer (103 Early Hints): pass it on, read on.
		answered = true
		if err = full.Write(bw); err == nil {
			err = bw.Flush()
		}
	}
	return rawAnswer{}, false, answered, err
}
