package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// Causes of browser_errors, the cause tag of a failed journey.
const (
	CauseBrowserCrashed = "browser_crashed" // the Chromium process died
	CauseTargetClosed   = "target_closed"   // the tab or browser context went away
	CausePageCrashed    = "page_crashed"    // the renderer of the page crashed
	CauseTimeout        = "timeout"         // a step ran past StepTimeout
	CauseNavigation     = "navigation"      // a page failed to load (net::ERR_...)
	CausePanic          = "panic"           // a step's Go code panicked
	CauseStep           = "step"            // any other action error (selector, script)
	CauseInterrupted    = "interrupted"     // the VU's context ended: not counted
)

// StepError is a failed journey step. Artifacts holds the screenshot and the
// JSON record written for it ("" when ArtifactDir is unset or the page was
// gone).
type StepError struct {
	Journey    string
	Step       string
	VU         int
	Cause      string
	URL        string
	Screenshot string
	Record     string
	Stack      []byte // set for panics
	Err        error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("journey %s: step %s (vu %d, %s, url %q): %v", e.Journey, e.Step, e.VU, e.Cause, e.URL, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// causeOf classifies a failure. proc is the browser the journey ran on (nil
// when none was reached).
func causeOf(err error, s *session, ctx context.Context) string {
	var pe *panicError
	msg := err.Error()
	switch {
	case ctx.Err() != nil:
		return CauseInterrupted
	case errors.As(err, &pe):
		return CausePanic
	case s != nil && s.proc.dead(), strings.Contains(msg, "lost the connection to the browser"),
		strings.Contains(msg, "browser process exited"):
		return CauseBrowserCrashed
	case s != nil && s.col.pageCrashed():
		return CausePageCrashed
	case errors.Is(err, chromedp.ErrTargetDetached), errors.Is(err, chromedp.ErrInvalidTarget),
		errors.Is(err, chromedp.ErrChannelClosed), strings.Contains(msg, "target closed"),
		errors.Is(err, context.Canceled):
		return CauseTargetClosed
	case errors.Is(err, context.DeadlineExceeded):
		return CauseTimeout
	case errors.Is(err, chromedp.ErrPageLoad):
		return CauseNavigation
	}
	return CauseStep
}

func countError(reg *metrics.Registry, tags metrics.Tags, cause string) {
	if cause == CauseInterrupted {
		return
	}
	_ = reg.Add(metrics.BrowserErrors, time.Now(), 1, tags.With("cause", cause))
}

// fail classifies a step failure, counts it, and writes its artifacts.
func (p *Pool) fail(ctx context.Context, s *session, journey, step string, vu int, err error, stack []byte) *StepError {
	// The browser's death is noticed by the read loop a moment after the
	// failing call returns; give it that moment before classifying.
	select {
	case <-s.proc.lost:
	case <-time.After(50 * time.Millisecond):
	}
	e := &StepError{Journey: journey, Step: step, VU: vu, Cause: causeOf(err, s, ctx), URL: s.col.url(), Stack: stack, Err: err}
	if p.isClosed() { // the pool was closed under the journey: not the browser's failure
		e.Cause, e.Err = CauseInterrupted, fmt.Errorf("%w: %w", ErrPoolClosed, err)
		return e
	}
	countError(s.col.reg, s.col.base.With("step", step), e.Cause)
	if e.Cause == CausePanic {
		e.Err = fmt.Errorf("%w\n%s", err, stack)
	}
	if p.cfg.ArtifactDir != "" {
		p.writeArtifacts(s, e)
	}
	return e
}

var artifactSeq atomic.Uint64

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// writeArtifacts saves a screenshot (when the page still answers) and a JSON
// record of the failure. Errors writing them are put in the record, or, if
// the record cannot be written, dropped: the StepError is returned anyway.
func (p *Pool) writeArtifacts(s *session, e *StepError) {
	if err := os.MkdirAll(p.cfg.ArtifactDir, 0o755); err != nil {
		return
	}
	name := fmt.Sprintf("%s-%s-vu%d-%d", e.Journey, e.Step, e.VU, artifactSeq.Add(1))
	base := filepath.Join(p.cfg.ArtifactDir, unsafeName.ReplaceAllString(name, "_"))
	rec := map[string]any{
		"time": time.Now().UTC(), "journey": e.Journey, "step": e.Step, "vu": e.VU,
		"cause": e.Cause, "url": e.URL, "error": e.Err.Error(), "messages": s.col.recentMessages(),
	}
	if !s.proc.dead() {
		sctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
		if u, err := chromedp.Run(sctx, chromedp.Location()); err == nil && u != "" {
			e.URL, rec["url"] = u, u
		}
		png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
		cancel()
		switch {
		case err != nil:
			rec["screenshot_error"] = err.Error()
		default:
			if err := os.WriteFile(base+".png", png, 0o644); err != nil {
				rec["screenshot_error"] = err.Error()
			} else {
				e.Screenshot = base + ".png"
				rec["screenshot"] = filepath.Base(e.Screenshot)
			}
		}
	} else {
		rec["screenshot_error"] = "browser process gone (pid " + strconv.Itoa(s.proc.pid) + ")"
	}
	b, _ := json.MarshalIndent(rec, "", "  ")
	if os.WriteFile(base+".json", b, 0o644) == nil {
		e.Record = base + ".json"
	}
}
