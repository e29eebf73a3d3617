package load

import (
	"sync"
	"time"
)

// arrivalPool hands scheduled iterations to idle VUs of an open-model
// executor, growing up to maxVUs; with none left, the iteration is
// dropped (dropped_iterations), as in k6.
type arrivalPool struct {
	sr     *scenarioRun
	free   chan *poolVU
	all    []*poolVU
	maxVUs int
	wg     sync.WaitGroup
}

type poolVU struct {
	vu  *VU
	due chan time.Time
}

func newArrivalPool(sr *scenarioRun, pre, maxVUs int) *arrivalPool {
	p := &arrivalPool{sr: sr, free: make(chan *poolVU, maxVUs), maxVUs: maxVUs}
	for range pre {
		p.free <- p.add()
	}
	return p
}

func (p *arrivalPool) add() *poolVU {
	pv := &poolVU{vu: p.sr.newVU(), due: make(chan time.Time, 1)}
	p.all = append(p.all, pv)
	p.wg.Go(func() {
		defer pv.vu.close()
		for at := range pv.due {
			p.sr.eng.active.Add(1)
			p.sr.iterate(p.sr.hard, pv.vu, at)
			p.sr.eng.active.Add(-1)
			p.free <- pv
		}
	})
	return pv
}

// start runs an iteration due at `at` on an idle VU, a new one while
// under maxVUs, or drops it.
func (p *arrivalPool) start(at time.Time) bool {
	select {
	case pv := <-p.free:
		pv.due <- at
		return true
	default:
	}
	if len(p.all) < p.maxVUs {
		p.add().due <- at
		return true
	}
	p.sr.drop(time.Now())
	return false
}

// close waits for running iterations (bounded by the scenario's hard stop)
// and ends every VU.
func (p *arrivalPool) close() {
	for _, pv := range p.all {
		close(pv.due)
	}
	p.wg.Wait()
}
