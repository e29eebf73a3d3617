package report

import (
	"sort"

	"github.com/gameday-dev/gameday/harness"
)

// edgeRow is one caller → callee hop with its amplification factor.
type edgeRow struct {
	Caller   string            `json:"caller"`
	Callee   string            `json:"callee"`
	Requests uint64            `json:"requests"`
	Outcomes map[string]uint64 `json:"outcomes,omitempty"`
	// Amplification is the hop's calls per request into the caller, 0 when
	// no proxy counted requests into the caller (e.g. the load's own hop).
	Amplification float64 `json:"amplification,omitempty"`
}

// edgeRows merges the run's edges by hop and computes each amplification
// factor the way assertions.Amplification does.
func edgeRows(run *harness.Run) []edgeRow {
	into := map[string]uint64{}
	byHop := map[[2]string]*edgeRow{}
	for _, e := range run.Edges {
		into[e.Callee] += e.Requests
		k := [2]string{e.Caller, e.Callee}
		r := byHop[k]
		if r == nil {
			r = &edgeRow{Caller: e.Caller, Callee: e.Callee}
			byHop[k] = r
		}
		r.Requests += e.Requests
		for o, n := range e.Outcomes {
			if r.Outcomes == nil {
				r.Outcomes = map[string]uint64{}
			}
			r.Outcomes[o] += n
		}
	}
	out := make([]edgeRow, 0, len(byHop))
	for _, r := range byHop {
		if up := into[r.Caller]; up > 0 {
			r.Amplification = float64(r.Requests) / float64(up)
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Caller != out[j].Caller {
			return out[i].Caller < out[j].Caller
		}
		return out[i].Callee < out[j].Callee
	})
	return out
}
