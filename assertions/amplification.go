package assertions

import (
	"fmt"
	"strings"

	"github.com/gameday-dev/gameday/harness"
	"github.com/stretchr/testify/assert"
)

// Amplification returns the downstream calls caller→callee per upstream
// request into the caller, for edge "caller->callee": the edge's request
// count divided by the requests every proxied edge delivered to the caller.
// 1 means one call per request; 3 retries of a failing call make it up to 4.
func Amplification(run *harness.Run, edge string) (float64, error) {
	down, up, err := edgeCounts(run, edge)
	if err != nil {
		return 0, err
	}
	return float64(down) / float64(up), nil
}

// AmplificationBelow asserts that edge's amplification factor is ≤ k.
func AmplificationBelow(t assert.TestingT, run *harness.Run, edge string, k float64) bool {
	helper(t)
	down, up, err := edgeCounts(run, edge)
	if err != nil {
		return broken(t, "amplification", err)
	}
	f := float64(down) / float64(up)
	if f <= k {
		return true
	}
	caller, _, _ := strings.Cut(edge, "->")
	return fail(t, run, Window{Label: "whole run", From: run.Start, To: run.End},
		"amplification %s is %.3g (%d downstream calls for %d requests into %s), limit %g",
		edge, f, down, up, strings.TrimSpace(caller), k)
}

func edgeCounts(run *harness.Run, edge string) (down, up uint64, err error) {
	caller, callee, ok := strings.Cut(edge, "->")
	caller, callee = strings.TrimSpace(caller), strings.TrimSpace(callee)
	if !ok || caller == "" || callee == "" {
		return 0, 0, fmt.Errorf("edge %q: want \"caller->callee\"", edge)
	}
	found := false
	for _, e := range run.Edges {
		if e.Caller == caller && e.Callee == callee {
			down += e.Requests
			found = true
		}
		if e.Callee == caller {
			up += e.Requests
		}
	}
	switch {
	case !found:
		return 0, 0, fmt.Errorf("edge %s: no proxy counted calls from %s to %s", edge, caller, callee)
	case up == 0:
		return 0, 0, fmt.Errorf("edge %s: no requests into %s were counted (is %s behind a proxy?)", edge, caller, caller)
	}
	return down, up, nil
}
