package flags

import (
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watch reloads the file on filesystem events for it and on every poll tick
// (Reload skips unchanged content). It watches the directory, not the file,
// because editors and atomic writers replace the file by rename.
func (s *Server) watch() {
	defer close(s.watchDone)
	target := filepath.Clean(s.cfg.File)
	var events chan fsnotify.Event
	var errs chan error
	if w, err := fsnotify.NewWatcher(); err != nil {
		s.log.Warn("file events unavailable; polling only", "err", err)
	} else {
		defer w.Close()
		if err := w.Add(filepath.Dir(target)); err != nil {
			s.log.Warn("file events unavailable; polling only", "err", err)
		} else {
			events, errs = w.Events, w.Errors
		}
	}
	tick := time.NewTicker(s.cfg.PollInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.closed:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if filepath.Clean(ev.Name) == target {
				_ = s.Reload()
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			s.log.Warn("file watch error", "err", err)
		case <-tick.C:
			_ = s.Reload()
		}
	}
}
