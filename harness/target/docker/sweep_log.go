package docker

import (
	"context"
	"io"
	"os"

	"github.com/gameday-dev/gameday/harness/sweeplog"
)

// SweepLogged is Sweep that says what it did: one line per removed run on
// w — on stderr when w discards, since removing a dead run's containers
// should never go unnoticed — and in the sweep log (harness/sweeplog),
// and one line on w when there was nothing to sweep.
func SweepLogged(ctx context.Context, w io.Writer) ([]string, error) {
	removed, err := Sweep(ctx)
	out := w
	if out == nil || out == io.Discard {
		out = os.Stderr
	}
	for _, id := range removed {
		sweeplog.Logf(out, "docker: swept dead run %s (its process is gone): containers and network removed", id)
	}
	if len(removed) == 0 && err == nil && w != nil {
		io.WriteString(w, "docker: sweep: no dead runs\n")
	}
	return removed, err
}
