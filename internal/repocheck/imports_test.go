package repocheck

import (
	"strings"
	"testing"
)

const modPath = "github.com/gameday-dev/gameday"

// TestImportsFollowTheLayout enforces DESIGN.md's layout table over every
// package of the module and its tests, from `go list -json ./...`.
func TestImportsFollowTheLayout(t *testing.T) {
	root, err := ModuleRoot(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := MainPackages(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found only %d packages: not gameday's tree", len(pkgs))
	}
	for _, p := range ImportProblems(modPath, pkgs) {
		t.Error(p)
	}
}

func TestImportProblems(t *testing.T) {
	pkg := func(path string, imports ...string) Package {
		return Package{ImportPath: modPath + "/" + path, Imports: prefixed(imports)}
	}
	cases := []struct {
		pkg  Package
		want string // "" for no problem
	}{
		{pkg("harness/load", "harness/metrics", "harness/internal/x"), ""},
		{pkg("harness", "fixtures/demo"), "harness may import only harness"},
		{pkg("harness/report", "scenarios"), "harness may import only harness"},
		{pkg("harness/load", "assertions"), "harness may import only harness"},
		{pkg("harness/load", "browser"), "harness may import only harness"},
		{pkg("harness", "cmd/gameday"), "nothing imports cmd"},
		{pkg("browser", "harness/metrics"), ""},
		{pkg("browser", "assertions"), "browser may import only"},
		{pkg("browser", "scenarios"), "browser may import only"},
		{pkg("browser", "fixtures"), "browser may import only"},
		{pkg("assertions", "browser"), "assertions may import only"},
		{pkg("assertions", "fixtures/demo"), "assertions may import only"},
		{pkg("fixtures/demo", "harness/load", "harness/flags"), ""},
		{pkg("fixtures/demo", "harness/target/internal/x"), "public packages"},
		{pkg("fixtures/demo", "assertions"), "fixtures may import only"},
		{pkg("fixtures", "scenarios"), "fixtures may import only"},
		{pkg("scenarios", "harness", "browser", "assertions", "fixtures/demo"), ""},
		{pkg("scenarios", "cmd/gameday"), "nothing imports cmd"},
		{pkg("cmd/gameday", "scenarios", "fixtures", "harness"), ""},
		{pkg("examples/process", "harness/system", "assertions"), ""},
		{pkg("examples/process", "internal/repocheck"), "examples may import only"},
		{pkg("tools/x", "harness"), "not in DESIGN.md's layout table"},
		{Package{ImportPath: modPath + "/harness/load", XTestImports: prefixed([]string{"fixtures"})}, "external test imports"},
		{Package{ImportPath: modPath + "/harness/load", Imports: []string{"net/http", "github.com/x/y"}}, ""},
	}
	for _, c := range cases {
		got := ImportProblems(modPath, []Package{c.pkg})
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %q", c.pkg.ImportPath, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
			t.Errorf("%s: got %q, want one problem containing %q", c.pkg.ImportPath, got, c.want)
		}
	}
}

func prefixed(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = modPath + "/" + p
	}
	return out
}
