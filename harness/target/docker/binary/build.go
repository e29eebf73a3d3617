package binary

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// DefaultPackage is the command built when Config.Package is empty.
const DefaultPackage = "github.com/gameday-dev/gameday/cmd/gameday"

// Config says what to build and where to cache it.
type Config struct {
	// ModuleDir is the root of the Go module to build from (holds go.mod).
	// Required.
	ModuleDir string
	// Package is the main package to build. Default DefaultPackage.
	Package string
	// CacheDir holds one directory per source hash. Default
	// $XDG_CACHE_HOME/gameday/bin (os.UserCacheDir), or $TMPDIR/gameday-bin.
	CacheDir string
	// GOARCH of the binary. Default runtime.GOARCH (the Docker engine's
	// architecture on a local engine). GOOS is always linux.
	GOARCH string
	// Go is the go command. Default "go" from PATH.
	Go string
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if c.ModuleDir == "" {
		errs = append(errs, errors.New("module dir is required"))
	} else if _, err := os.Stat(filepath.Join(c.ModuleDir, "go.mod")); err != nil {
		errs = append(errs, fmt.Errorf("module dir %s has no go.mod", c.ModuleDir))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Package == "" {
		c.Package = DefaultPackage
	}
	if c.CacheDir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			c.CacheDir = filepath.Join(d, "gameday", "bin")
		} else {
			c.CacheDir = filepath.Join(os.TempDir(), "gameday-bin")
		}
	}
	if c.GOARCH == "" {
		c.GOARCH = runtime.GOARCH
	}
	if c.Go == "" {
		c.Go = "go"
	}
	return c
}

// Build returns the path of a static (CGO_ENABLED=0) linux binary of
// cfg.Package, building it only when no binary for the current source hash
// is cached. Concurrent callers (several test processes) are safe: each
// builds into a temporary file and renames it into place.
func Build(ctx context.Context, cfg Config) (string, error) {
	if err := cfg.Validate(); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	cfg = cfg.withDefaults()
	hash, err := SourceHash(cfg.ModuleDir, "pkg="+cfg.Package, "goarch="+cfg.GOARCH, "go="+goVersion(ctx, cfg.Go))
	if err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	dir := filepath.Join(cfg.CacheDir, hash[:16])
	out := filepath.Join(dir, path.Base(cfg.Package))
	if fi, err := os.Stat(out); err == nil && fi.Mode().IsRegular() {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".build-*")
	if err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.CommandContext(ctx, cfg.Go, "build", "-ldflags=-s -w", "-o", tmp.Name(), cfg.Package)
	cmd.Dir = cfg.ModuleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+cfg.GOARCH)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build binary %s: %w: %s", cfg.Package, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	return out, nil
}

// goVersion is part of the cache key: another toolchain makes another binary.
func goVersion(ctx context.Context, goCmd string) string {
	out, err := exec.CommandContext(ctx, goCmd, "env", "GOVERSION").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// ModuleRoot walks up from dir to the directory holding go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}
