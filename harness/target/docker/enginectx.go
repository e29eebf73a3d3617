package docker

import (
	"context"
	"time"
)

// engineCreateTimeout bounds one create call to the engine.
const engineCreateTimeout = 30 * time.Second

// engineCtx is the context of a call that creates an object on the
// engine. It is not cancelled with ctx: the engine finishes a create whose
// client went away, so a create abandoned on Ctrl-C would leave a
// container or network that the run's removal (which lists before it
// appears) never sees. Found by the soak: SIGTERM 0.9 s into a docker run
// left a "created" container behind.
func engineCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), engineCreateTimeout)
}
