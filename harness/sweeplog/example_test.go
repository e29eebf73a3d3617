package sweeplog_test

import (
	"os"

	"github.com/gameday-dev/gameday/harness/sweeplog"
)

// A sweeper says what it removed on its own output and in the log file.
func ExampleLogf() {
	dir, _ := os.MkdirTemp("", "sweeplog-example-")
	defer os.RemoveAll(dir)
	os.Setenv("XDG_RUNTIME_DIR", dir)
	sweeplog.Logf(os.Stdout, "docker: swept dead run %s", "gd-0123456789ab")
	// Output: docker: swept dead run gd-0123456789ab
}
