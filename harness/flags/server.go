package flags

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPollInterval is how often a watched file is re-read when no
// filesystem event arrives (some filesystems and editors deliver none).
const DefaultPollInterval = 500 * time.Millisecond

// shutdownGrace bounds how long Serve waits for in-flight requests.
const shutdownGrace = 2 * time.Second

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("flag server closed")

// ServerConfig configures a flag Server.
type ServerConfig struct {
	// File is a flagd flag file, watched for changes. Takes precedence over
	// Data.
	File string
	// Data is a flag file's content, used when File is empty.
	Data []byte
	// AdminToken is the bearer token PUT /admin/flags/{key} requires. Empty
	// disables admin writes over HTTP (SetDefaultVariant still works).
	AdminToken string
	// Logger receives reload and override messages. Default: discard.
	Logger *slog.Logger
	// PollInterval is the file poll fallback period. Default
	// DefaultPollInterval.
	PollInterval time.Duration
}

// Validate reports every configuration problem.
func (c ServerConfig) Validate() error {
	var errs []error
	if c.File == "" && len(c.Data) == 0 {
		errs = append(errs, errors.New("one of File or Data is required"))
	}
	if c.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("poll interval %v is negative", c.PollInterval))
	}
	return errors.Join(errs...)
}

// Server serves flags over OFREP and the admin API. Create it with NewServer
// and always Close it.
type Server struct {
	cfg ServerConfig
	log *slog.Logger

	current atomic.Pointer[Set] // base with overrides applied; read lock-free

	mu        sync.Mutex
	base      *Set
	overrides map[string]string
	targeting map[string]any // targeting overrides (targeting.go)
	lastData  []byte
	lastErr   error

	closeOnce sync.Once
	closed    chan struct{}
	watchDone chan struct{}
}

// NewServer loads the flags (failing on an invalid file) and, for a File,
// starts watching it.
func NewServer(cfg ServerConfig) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("flag server config: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	s := &Server{cfg: cfg, log: cfg.Logger, overrides: map[string]string{}, closed: make(chan struct{})}
	data, source := cfg.Data, "flags"
	if cfg.File != "" {
		var err error
		if data, err = os.ReadFile(cfg.File); err != nil {
			return nil, fmt.Errorf("load flags: %w", err)
		}
		source = cfg.File
	}
	set, err := Parse(data, source)
	if err != nil {
		return nil, err
	}
	s.base, s.lastData = set, data
	s.current.Store(set)
	if cfg.File != "" {
		s.watchDone = make(chan struct{})
		go s.watch()
	}
	return s, nil
}

// Flags returns the flags in force (file plus overrides).
func (s *Server) Flags() *Set { return s.current.Load() }

// LastError returns the problem of the last reload, or nil if it succeeded.
// After a failed reload the last good flags stay in force.
func (s *Server) LastError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// SetDefaultVariant overrides flag key's default variant until it is set
// back to the file's default. The override survives file reloads while the
// flag still has that variant.
func (s *Server) SetDefaultVariant(key, variant string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.base.Flag(key)
	if !ok {
		return &UnknownFlagError{Key: key}
	}
	if _, ok := f.Variants[variant]; !ok {
		return &UnknownVariantError{Key: key, Variant: variant, Valid: f.VariantNames()}
	}
	if variant == f.DefaultVariant {
		delete(s.overrides, key)
	} else {
		s.overrides[key] = variant
	}
	s.applyLocked()
	s.log.Info("flag default variant set", "flag", key, "variant", variant)
	return nil
}

// applyLocked recomputes the flags in force; it drops overrides the base no
// longer supports.
func (s *Server) applyLocked() {
	set := s.base
	for key, variant := range s.overrides {
		next, err := set.WithDefaultVariant(key, variant)
		if err != nil {
			s.log.Warn("dropping flag override after reload", "flag", key, "variant", variant, "err", err)
			delete(s.overrides, key)
			continue
		}
		set = next
	}
	set = s.applyTargetingLocked(set)
	s.current.Store(set)
}

// Reload re-reads the watched file now. It returns the parse or read
// problem, which LastError also reports; the last good flags stay in force.
// Without a File it does nothing.
func (s *Server) Reload() error {
	if s.cfg.File == "" {
		return nil
	}
	data, err := os.ReadFile(s.cfg.File)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.lastErr = fmt.Errorf("reload flags: %w", err)
		return s.lastErr
	}
	if bytes.Equal(data, s.lastData) {
		return s.lastErr
	}
	s.lastData = data
	set, err := Parse(data, s.cfg.File)
	if err != nil {
		s.lastErr = err
		s.log.Warn("flag file reload failed; keeping previous flags", "file", s.cfg.File, "err", err)
		return err
	}
	s.base, s.lastErr = set, nil
	s.applyLocked()
	s.log.Info("flag file reloaded", "file", s.cfg.File, "flags", len(set.flags))
	return nil
}

// Serve serves HTTP on ln until ctx is cancelled or Close is called, then
// shuts down gracefully and returns nil. It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	select {
	case <-s.closed:
		ln.Close()
		return ErrServerClosed
	default:
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve flags: %w", err)
	case <-ctx.Done():
	case <-s.closed:
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-errc
	return nil
}

// Close stops the file watcher and any Serve call. Safe to call twice.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.closed)
		if s.watchDone != nil {
			<-s.watchDone
		}
	})
	return nil
}
