package docker

import (
	"context"
	"io"

	"github.com/gameday-dev/gameday/internal/sweeplog"
)

// SweepLogged is Sweep that says what it did: one line per removed run on
// w and in the sweep log (see internal/sweeplog), and one line when there
// was nothing to sweep, so a start-time sweep is never silent.
func SweepLogged(ctx context.Context, w io.Writer) ([]string, error) {
	removed, err := Sweep(ctx)
	for _, id := range removed {
		sweeplog.Logf(w, "docker: swept dead run %s (its process is gone): containers and network removed", id)
	}
	if len(removed) == 0 && err == nil && w != nil {
		io.WriteString(w, "docker: sweep: no dead runs\n")
	}
	return removed, err
}
