package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gameday-dev/gameday/harness/fault/kind"
)

// faultCommand is one `gameday fault KIND` subcommand: the kinds of the
// fault/kind table that share its name. Kinds sharing a command ("tcp")
// are told apart by their first parameter's flag (--latency, --down, ...).
type faultCommand struct {
	name string
	defs []kind.Def
}

// faultCommands groups the kind table by command, sorted by name.
func faultCommands() []faultCommand {
	by := map[string][]kind.Def{}
	for _, d := range kind.Defs() {
		by[d.CommandName()] = append(by[d.CommandName()], d)
	}
	var out []faultCommand
	for name, defs := range by {
		out = append(out, faultCommand{name: name, defs: defs})
	}
	slices.SortFunc(out, func(a, b faultCommand) int { return strings.Compare(a.name, b.name) })
	return out
}

func findFaultCommand(name string) (faultCommand, bool) {
	for _, c := range faultCommands() {
		if c.name == name {
			return c, true
		}
	}
	return faultCommand{}, false
}

func faultCommandNames() []string {
	var out []string
	for _, c := range faultCommands() {
		out = append(out, c.name)
	}
	return out
}

// addFlags defines every parameter flag of the command's kinds on fs.
func (c faultCommand) addFlags(fs *flag.FlagSet) {
	for _, d := range c.defs {
		for _, p := range d.Params {
			if fs.Lookup(p.FlagName()) != nil {
				continue
			}
			if p.Bool {
				fs.Bool(p.FlagName(), false, p.Help)
			} else {
				fs.String(p.FlagName(), "", p.Help)
			}
		}
	}
}

// flagNames lists the parameter flags of the command.
func (c faultCommand) flagNames() []string {
	var out []string
	for _, d := range c.defs {
		for _, p := range d.Params {
			out = append(out, p.FlagName())
		}
	}
	return out
}

// params picks the kind from the flags set (flag name → value) and maps
// them to the kind's parameters.
func (c faultCommand) params(set map[string]string) (kind.Def, map[string]string, error) {
	def, err := c.pick(set)
	if err != nil {
		return kind.Def{}, nil, err
	}
	params := map[string]string{}
	var errs []error
	for name, v := range set {
		i := slices.IndexFunc(def.Params, func(p kind.Param) bool { return p.FlagName() == name })
		switch {
		case i < 0:
			errs = append(errs, fmt.Errorf("--%s does not apply to %s (it takes %s)", name, def.Name, flagList(def.Params)))
		case def.Params[i].Key != "":
			params[def.Params[i].Key] = v
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return def, params, errors.Join(errs...)
}

// pick is the command's only kind, or the one whose first flag is set.
func (c faultCommand) pick(set map[string]string) (kind.Def, error) {
	if len(c.defs) == 1 {
		return c.defs[0], nil
	}
	var chosen []kind.Def
	var selectors, given []string
	for _, d := range c.defs {
		sel := "--" + d.Params[0].FlagName()
		selectors = append(selectors, sel)
		if _, ok := set[d.Params[0].FlagName()]; ok {
			chosen = append(chosen, d)
			given = append(given, sel)
		}
	}
	if len(chosen) != 1 {
		return kind.Def{}, fmt.Errorf("give exactly one of %s (got %d: %s)",
			strings.Join(selectors, ", "), len(given), strings.Join(given, " "))
	}
	return chosen[0], nil
}

// printKinds lists, for a command of several kinds, the flag that picks
// each, or else what its one kind does.
func (c faultCommand) printKinds(w io.Writer) {
	if len(c.defs) == 1 {
		fmt.Fprintf(w, "%s: %s\n", c.defs[0].Name, c.defs[0].Summary)
		return
	}
	fmt.Fprintln(w, "give exactly one of:")
	for _, d := range c.defs {
		fmt.Fprintf(w, "  --%-16s %s (%s)\n", d.Params[0].FlagName(), d.Summary, d.Name)
	}
}

func flagList(ps []kind.Param) string {
	if len(ps) == 0 {
		return "no options"
	}
	var out []string
	for _, p := range ps {
		out = append(out, "--"+p.FlagName())
	}
	return strings.Join(out, ", ")
}
