package binary

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// depsTemplate prints, for each package of the main module that the build
// compiles, its directory and the files the compiler reads from it.
const depsTemplate = `{{if and .Module .Module.Main}}{{.Dir}}` +
	`{{range .GoFiles}}|{{.}}{{end}}{{range .SFiles}}|{{.}}{{end}}` +
	`{{range .SysoFiles}}|{{.}}{{end}}{{range .EmbedFiles}}|{{.}}{{end}}
{{end}}`

// depsHash returns a hex digest of what building cfg.Package reads from the
// module: go.mod, go.sum and the files of the module's packages it depends
// on, as `go list -deps` selects them for the target platform, plus extra.
// Unlike SourceHash it does not change when another package or a document
// of the module does, but it costs a `go list` (about half a second), so
// Build only asks for it when SourceHash missed.
func depsHash(ctx context.Context, cfg Config, extra ...string) (string, error) {
	cmd := exec.CommandContext(ctx, cfg.Go, "list", "-deps", "-f", depsTemplate, cfg.Package)
	cmd.Dir = cfg.ModuleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+cfg.GOARCH)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %w: %s", cfg.Package, err, strings.TrimSpace(stderr.String()))
	}
	files := []string{filepath.Join(cfg.ModuleDir, "go.mod"), filepath.Join(cfg.ModuleDir, "go.sum")}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		for _, f := range parts[1:] {
			files = append(files, filepath.Join(parts[0], f))
		}
	}
	sort.Strings(files)
	h := sha256.New()
	for _, e := range extra {
		fmt.Fprintf(h, "extra %q\n", e)
	}
	for _, path := range files {
		rel, err := filepath.Rel(cfg.ModuleDir, path)
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", path, err)
		}
		f, err := os.Open(path)
		if os.IsNotExist(err) && filepath.Base(path) == "go.sum" {
			continue // a module without dependencies has none
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
