package repocheck

import (
	"os/exec"
	"testing"
)

// TestTreeHoldsNoLargeOrBinaryFiles fails when git tracks a file over
// 1 MB outside vendored assets, or a compiled executable.
func TestTreeHoldsNoLargeOrBinaryFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed to list tracked files: %v", err)
	}
	root, err := ModuleRoot(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := TrackedFiles(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("git tracks only %d files under %s: not gameday's tree", len(files), root)
	}
	for _, p := range TreeProblems(files) {
		t.Error(p)
	}
}

func TestTreeProblems(t *testing.T) {
	got := TreeProblems([]TrackedFile{
		{Path: "gameday", Size: 38 << 20, Exec: true},
		{Path: "harness/report/assets/chart.min.js", Size: 2 << 20},
		{Path: "fixtures/data.json", Size: MaxTrackedSize + 1},
		{Path: "fixtures/ok.json", Size: MaxTrackedSize},
	})
	if len(got) != 3 {
		t.Fatalf("problems %q, want the binary twice (size, executable) and the data file", got)
	}
}
