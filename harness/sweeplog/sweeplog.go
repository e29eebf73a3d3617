package sweeplog

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gameday-dev/gameday/harness/session"
)

// FileName is the log's name in session.StateDir.
const FileName = "sweeps.log"

var mu sync.Mutex

// Path returns the log's path (creating the state directory).
func Path() (string, error) {
	dir, err := session.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}

// Logf writes one line to w (when not nil) and appends it to the log file.
// A log file that cannot be written is reported on w, once per call.
func Logf(w io.Writer, format string, args ...any) {
	line := strings.TrimRight(fmt.Sprintf(format, args...), "\n")
	if w != nil {
		fmt.Fprintln(w, line)
	}
	p, err := Path()
	if err == nil {
		err = Append(p, line)
	}
	if err != nil && w != nil {
		fmt.Fprintf(w, "sweep log: %v\n", err)
	}
}

// Append appends "TIME line" to the file at p (0600, created if missing).
func Append(p, line string) error {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("append to %s: %w", p, err)
	}
	_, werr := fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
