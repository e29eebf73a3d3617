package repocheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Module is one module of the build graph, as `go list` describes it.
type Module struct {
	Path    string
	Version string
	Dir     string // in the module cache; empty when not downloaded
	Main    bool
	Replace *Module
}

// Package is one package of the main module, as `go list -json` shows it.
type Package struct {
	ImportPath   string
	Module       *Module
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// goList runs `go list args...` in dir and decodes its JSON stream.
func goList[T any](ctx context.Context, dir string, args ...string) ([]T, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	var items []T
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var it T
		if err := dec.Decode(&it); errors.Is(err, io.EOF) {
			return items, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list %s: decode: %w", strings.Join(args, " "), err)
		}
		items = append(items, it)
	}
}

// ModuleRoot is the main module's directory, found by `go list -m`.
func ModuleRoot(ctx context.Context, dir string) (string, error) {
	mods, err := goList[Module](ctx, dir, "-m")
	if err != nil {
		return "", err
	}
	if len(mods) != 1 || mods[0].Dir == "" {
		return "", fmt.Errorf("go list -m: want one main module, got %d", len(mods))
	}
	return mods[0].Dir, nil
}

// BuildModules returns every module that provides a package to the main
// module's packages or their tests (`go list -deps -test ./...`), without
// the main module, each once, with replacements applied.
func BuildModules(ctx context.Context, root string) ([]Module, error) {
	pkgs, err := goList[Package](ctx, root, "-deps", "-test", "./...")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Module
	for _, p := range pkgs {
		m := p.Module
		if m == nil || m.Main {
			continue // the standard library, or gameday itself
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if key := m.Path + "@" + m.Version; !seen[key] {
			seen[key] = true
			out = append(out, *m)
		}
	}
	return out, nil
}

// GraphModules returns every module of `go list -m all`: the whole module
// graph, including modules that no build uses.
func GraphModules(ctx context.Context, root string) ([]Module, error) {
	return goList[Module](ctx, root, "-m", "all")
}

// MainPackages returns the main module's packages with their imports.
func MainPackages(ctx context.Context, root string) ([]Package, error) {
	return goList[Package](ctx, root, "./...")
}
