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
	"strconv"
	"strings"
	"time"
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
// cfg.Package, building it only when no binary for the current sources is
// cached. The cache key is SourceHash of the module; when that misses, a
// binary built from the same inputs of cfg.Package (see depsHash) is
// reused, so an edit elsewhere in the module (another command, a test
// helper, a README) costs a `go list`, not a build and a new image.
// Concurrent callers (several test processes) are safe: each builds into a
// temporary file and renames it into place.
func Build(ctx context.Context, cfg Config) (string, error) {
	if err := cfg.Validate(); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	cfg = cfg.withDefaults()
	extra := []string{"pkg=" + cfg.Package, "goarch=" + cfg.GOARCH, "go=" + goVersion(ctx, cfg.Go)}
	hash, err := SourceHash(cfg.ModuleDir, extra...)
	if err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	out := cfg.cached(hash[:16])
	if isFile(out) {
		return out, nil
	}
	var depsOut string
	if deps, err := depsHash(ctx, cfg, extra...); err == nil {
		depsOut = cfg.cached("deps-" + deps[:16])
	}
	if depsOut != "" && isFile(depsOut) {
		if err := link(depsOut, out); err != nil {
			return depsOut, nil
		}
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".build-*")
	if err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.CommandContext(ctx, cfg.Go, "build", "-ldflags=-s -w", "-o", tmp.Name(), cfg.Package)
	cmd.Dir = cfg.ModuleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+cfg.GOARCH)
	// On cancel, interrupt: the go command then removes its work dir in
	// TMPDIR, which a kill would leave behind (the soak found such dirs).
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build binary %s: %w: %s", cfg.Package, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", fmt.Errorf("build binary: %w", err)
	}
	if depsOut != "" {
		_ = link(out, depsOut) // best effort: only a later edit elsewhere needs it
	}
	return out, nil
}

// cached is where the binary of cache directory name is kept.
func (c Config) cached(name string) string {
	return filepath.Join(c.CacheDir, name, path.Base(c.Package))
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// link hard-links the cached binary src at dst (no copy of the bytes,
// and no window in which dst is incomplete).
func link(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := dst + ".link-" + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
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
