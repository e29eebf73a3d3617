package load

import (
	"fmt"
	"strings"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// monitor samples the VU gauges, prints progress and evaluates
// abortOnFail thresholds once per second until done closes.
func (r *Run) monitor(done <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	r.sampleVUs(time.Now())
	var lastReqs float64
	lastAt := r.start
	for {
		select {
		case <-done:
			return
		case now := <-tick.C:
			r.sampleVUs(now)
			if r.opts.Progress != nil {
				lastReqs, lastAt = r.progress(now, lastReqs, lastAt)
			}
			r.checkAbort(now)
		}
	}
}

func (r *Run) sampleVUs(now time.Time) {
	reg := r.eng.reg
	reg.Metric(metrics.VUs).Series(nil).Add(now, float64(r.eng.active.Load()))
	reg.Metric(metrics.VUsMax).Series(nil).Add(now, float64(r.eng.vusMax.Load()))
}

func (r *Run) checkAbort(now time.Time) {
	if !r.ts.HasAbort() {
		return
	}
	abort, fired := r.ts.CheckAbort(now.Sub(r.start))
	if !abort {
		return
	}
	parts := make([]string, len(fired))
	for i, f := range fired {
		parts[i] = fmt.Sprintf("%s %s (value %g)", f.Metric, f.Source, f.Value)
	}
	r.mu.Lock()
	r.fired = append(r.fired, fired...)
	r.mu.Unlock()
	r.stop("threshold crossed: " + strings.Join(parts, "; "))
}

// progress prints one line: elapsed, VUs, request rate, failures.
func (r *Run) progress(now time.Time, lastReqs float64, lastAt time.Time) (float64, time.Time) {
	reg := r.eng.reg
	reqs := reg.Metric(metrics.HTTPReqs).Aggregate(nil).Sum
	failed := reg.Metric(metrics.HTTPReqFailed).Aggregate(nil)
	iters := reg.Metric(metrics.Iterations).Aggregate(nil).Sum
	dropped := reg.Metric(metrics.DroppedIterations).Aggregate(nil).Sum
	rps := 0.0
	if d := now.Sub(lastAt).Seconds(); d > 0 {
		rps = (reqs - lastReqs) / d
	}
	fmt.Fprintf(r.opts.Progress, "running %6.1fs  vus %d/%d  iterations %.0f  %.0f req/s  failed %.2f%% of %.0f  dropped %.0f\n",
		now.Sub(r.start).Seconds(), r.eng.active.Load(), r.eng.vusMax.Load(), iters, rps,
		100*failed.Rate(), float64(failed.Count), dropped)
	return reqs, now
}
