package repocheck

import (
	"strings"
	"testing"
)

// forbiddenModules may never be in the module graph, whatever their
// licence files say: go.k6.io/k6 is AGPL (gameday implements k6's
// grammar and metric names itself, from k6's documentation).
var forbiddenModules = []string{"go.k6.io/"}

// TestModuleGraphLicences fails when a module that provides a package to
// gameday's build or tests has no licence file, an unrecognised one, or a
// copyleft one (AGPL, GPL, LGPL, SSPL, BUSL). It reads each module's
// licence files from the module cache (CI runs `go mod download` first).
func TestModuleGraphLicences(t *testing.T) {
	root, err := ModuleRoot(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := BuildModules(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) < 10 {
		t.Fatalf("only %d modules in the build graph: go list did not see the tree", len(mods))
	}
	byName := map[string]int{}
	for _, m := range mods {
		if m.Dir == "" {
			t.Errorf("%s@%s is not in the module cache: run go mod download", m.Path, m.Version)
			continue
		}
		ls, err := ModuleLicences(m.Dir)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, l := range ls {
			byName[l.Name]++
		}
		if why := Acceptable(ls); why != "" {
			t.Errorf("%s@%s: %s", m.Path, m.Version, why)
		}
	}
	t.Logf("%d modules, licence files by kind: %v", len(mods), byName)
}

// TestModuleGraphHasNoForbiddenModule checks the whole module graph
// (`go list -m all`), built or not.
func TestModuleGraphHasNoForbiddenModule(t *testing.T) {
	root, err := ModuleRoot(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := GraphModules(t.Context(), root)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		for _, bad := range forbiddenModules {
			if strings.HasPrefix(m.Path+"/", bad) {
				t.Errorf("%s@%s is in the module graph: it is AGPL and must not be", m.Path, m.Version)
			}
		}
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		text, want string
		allowed    bool
	}{
		{"GNU AFFERO GENERAL PUBLIC LICENSE\n Version 3, 19 November 2007", "AGPL", false},
		{"GNU GENERAL PUBLIC LICENSE\n\tVersion 2, June 1991", "GPL", false},
		{"  GNU LESSER GENERAL PUBLIC LICENSE  Version 3", "LGPL", false},
		{"Server Side Public License\nVERSION 1", "SSPL", false},
		{"Business Source License 1.1", "BUSL", false},
		{"Apache License\n Version 2.0, January 2004", "Apache-2.0", true},
		{"MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software", "MIT", true},
		{"// Redistribution and use in source and binary forms, with or without\n// modification, are permitted provided", "BSD", true},
		{"Permission to use, copy, modify, and distribute this software for any\npurpose with or without fee is hereby granted", "ISC", true},
		{"Mozilla Public License Version 2.0\n==================================", "MPL-2.0", true},
		{"This is free and unencumbered software released into the public domain.", "Unlicense", true},
		{"Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0", true},
		// a GPL text that mentions another licence is still GPL
		{"GNU GENERAL PUBLIC LICENSE ... unlike the Apache License, Version 2.0", "GPL", false},
	}
	for _, c := range cases {
		l, ok := Classify(c.text)
		if !ok || l.Name != c.want || l.Allowed != c.allowed {
			t.Errorf("%.40q: %+v %v, want %s allowed=%v", c.text, l, ok, c.want, c.allowed)
		}
	}
	if l, ok := Classify("All rights reserved. Do not copy."); ok {
		t.Errorf("a proprietary notice was recognised as %s", l.Name)
	}
	for _, c := range []struct {
		ls   []Licence
		want string
	}{
		{nil, "no code licence"},
		{[]Licence{{Name: "CC-BY-4.0", Allowed: true, DocsOnly: true}}, "no code licence"},
		{[]Licence{{Name: "MIT", Allowed: true}, {Name: "GPL"}}, "GPL is not allowed"},
		{[]Licence{{Name: "unrecognised text in LICENSE"}}, "unrecognised"},
		{[]Licence{{Name: "Apache-2.0", Allowed: true}, {Name: "CC-BY-SA-4.0", Allowed: true, DocsOnly: true}}, ""},
	} {
		if got := Acceptable(c.ls); c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("Acceptable(%+v) = %q, want %q", c.ls, got, c.want)
		}
	}
}
