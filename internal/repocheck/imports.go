package repocheck

import (
	"fmt"
	"slices"
	"strings"
)

// Layout is DESIGN.md's layout table as import rules: for each top-level
// folder, the folders of this module its packages (and their tests) may
// import. The standard library and other modules are always allowed.
var Layout = map[string]Rule{
	"harness":    {May: []string{"harness"}},
	"browser":    {May: []string{"harness", "browser"}},
	"assertions": {May: []string{"harness", "assertions"}},
	"fixtures":   {May: []string{"harness", "fixtures"}, PublicOnly: []string{"harness"}},
	"scenarios":  {May: []string{"harness", "browser", "assertions", "fixtures", "scenarios"}},
	"cmd":        {May: []string{"harness", "browser", "assertions", "fixtures", "scenarios", "internal"}},
	"examples": {May: []string{"harness", "browser", "assertions", "fixtures", "examples"},
		PublicOnly: []string{"harness", "browser", "assertions", "fixtures"}},
	"internal": {May: []string{"harness", "internal"}},
}

// Rule is what one top-level folder may import.
type Rule struct {
	May []string // top-level folders of this module
	// PublicOnly lists folders of May whose internal packages stay off
	// limits ("fixtures may use harness's public packages").
	PublicOnly []string
}

// ImportProblems checks every import of pkgs (of the module modPath)
// against Layout and returns one line per broken rule.
func ImportProblems(modPath string, pkgs []Package) []string {
	var out []string
	for _, p := range pkgs {
		from := topFolder(modPath, p.ImportPath)
		rule, ok := Layout[from]
		if !ok {
			out = append(out, fmt.Sprintf("%s: top-level folder %q is not in DESIGN.md's layout table", p.ImportPath, from))
			continue
		}
		for _, kind := range []struct {
			what    string
			imports []string
		}{{"imports", p.Imports}, {"test imports", p.TestImports}, {"external test imports", p.XTestImports}} {
			for _, imp := range kind.imports {
				if imp != modPath && !strings.HasPrefix(imp, modPath+"/") {
					continue // standard library or another module
				}
				to := topFolder(modPath, imp)
				switch {
				case to == "cmd":
					out = append(out, fmt.Sprintf("%s %s %s: nothing imports cmd", p.ImportPath, kind.what, imp))
				case !slices.Contains(rule.May, to):
					out = append(out, fmt.Sprintf("%s %s %s: %s may import only %s", p.ImportPath, kind.what, imp,
						from, strings.Join(rule.May, ", ")))
				case slices.Contains(rule.PublicOnly, to) && to != from && isInternal(imp):
					out = append(out, fmt.Sprintf("%s %s %s: %s may use only %s's public packages", p.ImportPath, kind.what, imp,
						from, to))
				}
			}
		}
	}
	return out
}

// topFolder is the first path element of pkg inside the module ("" for
// the module's root package).
func topFolder(modPath, pkg string) string {
	rest := strings.TrimPrefix(strings.TrimPrefix(pkg, modPath), "/")
	first, _, _ := strings.Cut(rest, "/")
	return first
}

func isInternal(pkg string) bool {
	return strings.Contains(pkg+"/", "/internal/")
}
