package fault

import "context"

// ReasonHalted is the timeline's reason for an injection a halt condition
// ended early: a guard (an SLO watched while the fault was in) broke.
const ReasonHalted = "halted"

// Halt ends the injection early because its halt condition broke: the
// fault is reverted now and the revert records ReasonHalted. Like Revert it
// is safe to call twice and after the injection ended (it then does
// nothing and returns the first revert's error).
func (i *Injection) Halt(ctx context.Context) error { return i.finish(ctx, ReasonHalted) }
