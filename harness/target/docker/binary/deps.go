package binary

import (
	"bytes"
	"context"
	"fmt"
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
	rels := make([]string, 0, len(files))
	for _, path := range files {
		rel, err := filepath.Rel(cfg.ModuleDir, path)
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", path, err)
		}
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	// a module without dependencies has no go.sum
	return hashFiles(cfg.ModuleDir, rels, extra, func(rel string) bool { return filepath.Base(rel) == "go.sum" })
}
