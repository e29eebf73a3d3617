package browser

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// session is one VU's isolated browser context (its own cookies, cache and
// storage, like an incognito window) with one tab, reused for up to
// RecycleAfter journeys.
type session struct {
	vu     int
	proc   *process
	ctx    context.Context
	cancel context.CancelFunc
	col    *collector
	uses   int
}

// newSession opens a new browser context with one tab on proc, listening to
// its events and with the vitals probe installed. It gives up after timeout.
func newSession(proc *process, vu int, col *collector, timeout time.Duration) (*session, error) {
	ctx, cancel := chromedp.NewContext(proc.ctx, chromedp.WithNewBrowserContext())
	s := &session{vu: vu, proc: proc, ctx: ctx, cancel: cancel, col: col}
	// The first call on a tab binds the tab to the context it is given, so the
	// timeout cancels the tab itself rather than a derived context.
	timer := time.AfterFunc(timeout, cancel)
	defer timer.Stop()
	if err := chromedp.Listen(ctx, col.onEvent); err != nil {
		cancel()
		return nil, fmt.Errorf("open browser context: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(installVitals)); err != nil {
		cancel()
		return nil, fmt.Errorf("install vitals probe: %w", err)
	}
	return s, nil
}

// close disposes of the tab and its browser context.
func (s *session) close() { s.cancel() }
