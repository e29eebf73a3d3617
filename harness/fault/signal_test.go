package fault

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Signals are caught only while an injection is in flight, so a program
// gets its own SIGINT behaviour back as soon as every fault has ended.
func TestSignalsCaughtOnlyWhileInjected(t *testing.T) {
	watching := func() bool {
		active.mu.Lock()
		defer active.mu.Unlock()
		return active.sigs != nil
	}
	require.False(t, watching())
	inj, err := NewInjector(newFake("cart", "checkout"), nil)
	require.NoError(t, err)
	a, err := inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	require.NoError(t, err)
	b, err := inj.Inject(context.Background(), "checkout", Pause{}, During(time.Hour, time.Minute))
	require.NoError(t, err)
	assert.True(t, watching())
	require.NoError(t, a.Revert(context.Background()))
	assert.True(t, watching(), "a pending injection still needs the handler")
	require.NoError(t, b.Revert(context.Background()))
	assert.False(t, watching())

	quiet, err := NewInjector(newFake("cart"), nil, WithoutSignalRevert())
	require.NoError(t, err)
	c, err := quiet.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	require.NoError(t, err)
	assert.False(t, watching())
	require.NoError(t, c.Revert(context.Background()))
}
