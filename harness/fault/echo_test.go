package fault

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After reverting on the user's Ctrl-C the package raises it again; a
// program counting Ctrl-Cs (the CLI's forced exit) must see that echo for
// what it is, once.
func TestSignalRevertMarksItsEcho(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt) // the program's own handler: the echo lands here
	defer signal.Stop(sigs)
	inj, err := NewInjector(newFake("cart"), nil)
	require.NoError(t, err)
	a, err := inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	require.NoError(t, err)

	revertOnSignal(syscall.SIGINT) // what the watcher does on the user's Ctrl-C
	assert.True(t, a.Done(), "reverted before the signal is raised again")
	select {
	case <-sigs:
	case <-time.After(5 * time.Second):
		t.Fatal("the signal was not raised again")
	}
	assert.True(t, TakeEcho(), "the raised signal is marked as the echo")
	assert.False(t, TakeEcho(), "only once")
}

func TestRevertActiveEndsEveryInjection(t *testing.T) {
	inj, err := NewInjector(newFake("cart", "checkout"), nil)
	require.NoError(t, err)
	a, err := inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	require.NoError(t, err)
	b, err := inj.Inject(context.Background(), "checkout", Pause{}, During(time.Hour, time.Minute))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	RevertActive(ctx)
	assert.True(t, a.Done())
	assert.True(t, b.Done(), "a pending injection is cancelled too")
}
