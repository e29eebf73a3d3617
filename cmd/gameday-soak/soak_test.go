package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func init() { MaybeChild() } // the test binary is its own soak child

// TestLeakCheckerSmoke is the soak in miniature, in `make test`: a clean
// run and a SIGKILLed one leave nothing, and a run that leaks on purpose
// is caught with what it left.
func TestLeakCheckerSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs three short embedded runs as child processes")
	}
	plans := []Plan{
		{N: 1, Target: "embedded", Mode: Clean, At: time.Hour},
		{N: 2, Target: "embedded", Mode: SIGKILL, At: 1500 * time.Millisecond},
		{N: 3, Target: "embedded", Mode: Leak, At: time.Hour},
	}
	var log strings.Builder
	results, err := Run(t.Context(), Config{Plans: plans, Exe: os.Args[0], ExeArgs: []string{"-test.run=^$"},
		WorkDir: t.TempDir(), Out: &log})
	t.Log("\n" + log.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	for _, r := range results[:2] {
		if !r.Started || !r.OK() {
			t.Errorf("%s: started %v, leaks %v (log %s)", r.Plan, r.Started, r.Leaks.Detail, r.LogFile)
		}
	}
	if r := results[0]; !r.Finished || r.Exit != 0 {
		t.Errorf("the clean run did not finish cleanly: exit %d, finished %v (log %s)", r.Exit, r.Finished, r.LogFile)
	}
	leak := results[2]
	if leak.Leaks.Count[KindProcesses] != 1 || leak.Leaks.Count[KindTempDirs] != 1 {
		t.Errorf("the leaking run: %v, want one process and one temp file", leak.Leaks.Detail)
	}
	var table strings.Builder
	PrintTable(&table, results)
	if !strings.Contains(table.String(), "2/3 runs ran as planned and left nothing behind") {
		t.Errorf("table:\n%s", table.String())
	}
}
