package sweeplog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogfWritesBothPlaces(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", state)
	var out strings.Builder
	Logf(&out, "swept %s", "run-1")
	Logf(nil, "swept %s", "run-2")
	if out.String() != "swept run-1\n" {
		t.Errorf("writer got %q", out.String())
	}
	p := filepath.Join(state, "gameday", FileName)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], " swept run-1") || !strings.HasSuffix(lines[1], " swept run-2") {
		t.Errorf("log file:\n%s", data)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
