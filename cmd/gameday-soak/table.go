package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Summary is the soak's outcome in numbers.
type Summary struct {
	Runs, OK, Hung, Broken int
	Leaks                  map[string]int
	// MaxKillSettle is the longest time from a SIGKILL to nothing left
	// (containers and networks gone), per target; MaxKillFaults the longest
	// to every fault reverted.
	MaxKillSettle, MaxKillFaults map[string]time.Duration
}

// Summarize adds the results up.
func Summarize(results []Result) Summary {
	s := Summary{Leaks: map[string]int{}, MaxKillSettle: map[string]time.Duration{}, MaxKillFaults: map[string]time.Duration{}}
	for _, r := range results {
		s.Runs++
		if r.OK() {
			s.OK++
		}
		if r.Hung {
			s.Hung++
		}
		if r.Broken() {
			s.Broken++
		}
		for k, n := range r.Leaks.Count {
			s.Leaks[k] += n
		}
		if r.Plan.Mode == SIGKILL {
			s.MaxKillSettle[r.Plan.Target] = max(s.MaxKillSettle[r.Plan.Target], r.Settled)
			s.MaxKillFaults[r.Plan.Target] = max(s.MaxKillFaults[r.Plan.Target], r.FaultsGone)
		}
	}
	return s
}

// PrintTable writes one row per target and mode: runs, runs whose system
// came up before the interruption, clean runs, leaks by kind, and the
// longest settle time.
func PrintTable(w io.Writer, results []Result) {
	type key struct{ target, mode string }
	rows := map[key][]Result{}
	var keys []key
	for _, r := range results {
		k := key{r.Plan.Target, string(r.Plan.Mode)}
		if _, ok := rows[k]; !ok {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], r)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return strings.Compare(a.target+"/"+a.mode, b.target+"/"+b.mode)
	})
	head := fmt.Sprintf("%-9s %-12s %5s %7s %5s %4s %6s", "target", "mode", "runs", "started", "clean", "hung", "broken")
	for _, k := range Kinds {
		head += fmt.Sprintf(" %10s", k)
	}
	fmt.Fprintln(w, head+"  max settle")
	line := func(target, mode string, rs []Result) {
		s := Summarize(rs)
		started, settle := 0, time.Duration(0)
		for _, r := range rs {
			if r.Started {
				started++
			}
			settle = max(settle, r.Settled)
		}
		row := fmt.Sprintf("%-9s %-12s %5d %7d %5d %4d %6d", target, mode, s.Runs, started, s.OK, s.Hung, s.Broken)
		for _, k := range Kinds {
			row += fmt.Sprintf(" %10d", s.Leaks[k])
		}
		fmt.Fprintf(w, "%s  %s\n", row, settle.Round(10*time.Millisecond))
	}
	for _, k := range keys {
		line(k.target, k.mode, rows[k])
	}
	line("all", "", results)
	s := Summarize(results)
	fmt.Fprintf(w, "\n%d/%d runs ran as planned and left nothing behind (%d hung, %d broken).", s.OK, s.Runs, s.Hung, s.Broken)
	for _, t := range slices.Sorted(maps.Keys(s.MaxKillSettle)) {
		fmt.Fprintf(w, " %s after a SIGKILL: faults gone ≤ %s, everything gone ≤ %s.", t,
			s.MaxKillFaults[t].Round(10*time.Millisecond), s.MaxKillSettle[t].Round(10*time.Millisecond))
	}
	fmt.Fprintln(w)
}
