package binary

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SourceHash returns a hex digest of the module's build inputs under dir:
// go.mod, go.sum, every non-test .go file, and every other file inside a Go
// package directory (what a go:embed directive could reach). Hidden and
// underscore-prefixed directories, testdata and nested modules are skipped,
// as the go tool skips them. extra is mixed in (build flags, toolchain).
func SourceHash(dir string, extra ...string) (string, error) {
	files, err := buildInputs(dir)
	if err != nil {
		return "", fmt.Errorf("hash sources in %s: %w", dir, err)
	}
	return hashFiles(dir, files, extra, nil)
}

// FileDigest is the hex SHA-256 of the file at path.
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFiles digests extra, then each file (named relative to dir) with its
// name; a file that does not exist is skipped when optional says so.
func hashFiles(dir string, files, extra []string, optional func(rel string) bool) (string, error) {
	h := sha256.New()
	for _, e := range extra {
		fmt.Fprintf(h, "extra %q\n", e)
	}
	for _, rel := range files {
		f, err := os.Open(filepath.Join(dir, rel))
		if os.IsNotExist(err) && optional != nil && optional(rel) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("hash build inputs: %w", err)
		}
		fmt.Fprintf(h, "file %q\n", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", rel, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// buildInputs lists, sorted, the files SourceHash reads (relative to dir).
func buildInputs(dir string) ([]string, error) {
	var files []string
	// inPackage[d] is true when d or one of its parents holds Go files.
	inPackage := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			if path != dir {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module is not part of ours
				}
			}
			inPackage[path] = inPackage[filepath.Dir(path)] || hasGoFiles(path)
			return nil
		}
		if !d.Type().IsRegular() || strings.HasPrefix(name, ".") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(name, "_test.go"):
		case rel == "go.mod" || rel == "go.sum", strings.HasSuffix(name, ".go"):
			files = append(files, rel)
		case inPackage[filepath.Dir(path)]:
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// hasGoFiles reports whether dir directly holds a non-test .go file.
func hasGoFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}
