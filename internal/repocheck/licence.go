package repocheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Licence is what a licence text was recognised as.
type Licence struct {
	Name    string // e.g. "MIT", "Apache-2.0", "AGPL"
	Allowed bool   // may be linked into a team's test binary
	// DocsOnly marks a documentation licence (Creative Commons): it covers
	// a module's prose, not its code, so the module needs a code licence too.
	DocsOnly bool
}

// licenceMarkers recognise licences by phrases of their texts, checked in
// order: the copyleft families first, so a GPL text that quotes another
// licence is still GPL. LGPL counts as forbidden too: a static Go binary
// cannot meet its relinking terms.
var licenceMarkers = []struct {
	licence Licence
	phrase  *regexp.Regexp
}{
	{Licence{"AGPL", false, false}, phrase(`gnu affero general public license`)},
	{Licence{"LGPL", false, false}, phrase(`gnu (lesser|library) general public license`)},
	{Licence{"GPL", false, false}, phrase(`gnu general public license`)},
	{Licence{"SSPL", false, false}, phrase(`server side public license`)},
	{Licence{"BUSL", false, false}, phrase(`business source license`)},
	{Licence{"Apache-2.0", true, false}, phrase(`apache license,? version 2\.0`)},
	{Licence{"MPL-2.0", true, false}, phrase(`mozilla public license,? version 2\.0`)},
	{Licence{"MIT", true, false}, phrase(`permission is hereby granted, free of charge, to any person obtaining a copy`)},
	{Licence{"BSD", true, false}, phrase(`redistribution and use in source and binary forms, with or without modification, are permitted`)},
	{Licence{"ISC", true, false}, phrase(`permission to use, copy, modify,? and(/or)? distribute this software for any purpose with or without fee is hereby granted`)},
	{Licence{"Unlicense", true, false}, phrase(`this is free and unencumbered software released into the public domain`)},
	{Licence{"CC0-1.0", true, false}, phrase(`cc0 1\.0 universal`)},
	{Licence{"BSL-1.0", true, false}, phrase(`boost software license`)},
	{Licence{"Zlib", true, false}, phrase(`this software is provided 'as-is', without any express or implied warranty`)},
	{Licence{"CC-BY-SA-4.0", true, true}, phrase(`attribution-sharealike 4\.0 international`)},
	{Licence{"CC-BY-4.0", true, true}, phrase(`attribution 4\.0 international`)},
}

// phrase matches words separated by any whitespace, case-insensitively.
func phrase(p string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)` + strings.ReplaceAll(p, " ", `\s+`))
}

// Classify names the licence of text, or returns ok false when no known
// licence is recognised.
func Classify(text string) (Licence, bool) {
	// comment markers of licences kept as source headers
	text = strings.NewReplacer("//", " ", "#", " ", "*", " ").Replace(text)
	for _, m := range licenceMarkers {
		if m.phrase.MatchString(text) {
			return m.licence, true
		}
	}
	return Licence{}, false
}

// licenceFile matches the names modules give their licence texts.
var licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying|unlicense)([-._].*)?$`)

// ModuleLicences classifies every licence file at the root of the module
// in dir. A module passes when every file is recognised and allowed and at
// least one is a code licence (see Acceptable); dual-licensed texts in one
// file count as the first family they match, copyleft first.
func ModuleLicences(dir string) ([]Licence, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read module %s: %w", dir, err)
	}
	var out []Licence
	for _, e := range entries {
		if e.IsDir() || !licenceFile.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		l, ok := Classify(string(b))
		if !ok {
			l = Licence{Name: "unrecognised text in " + e.Name()}
		}
		out = append(out, l)
	}
	return out, nil
}

// Acceptable says why a module with these licence files cannot be linked
// into a team's test binary, or returns "" when it can.
func Acceptable(ls []Licence) string {
	code := 0
	for _, l := range ls {
		if !l.Allowed {
			return "licence " + l.Name + " is not allowed in gameday's build graph"
		}
		if !l.DocsOnly {
			code++
		}
	}
	if code == 0 {
		return "no code licence: an unlicensed module cannot be linked"
	}
	return ""
}
