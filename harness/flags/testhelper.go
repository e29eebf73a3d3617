package flags

import (
	"context"
	"github.com/gameday-dev/gameday/harness/handle"
	"time"
)

// cleanupTimeout bounds the restore request a test cleanup sends.
const cleanupTimeout = 5 * time.Second

// SetForTest sets flag key to variant through c and registers a cleanup that
// restores the variant in force before, so a failing test cannot leave a
// fault switched on. It fails the test if the flag cannot be set.
func SetForTest(tb handle.T, c *AdminClient, key, variant string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	states, err := c.List(ctx)
	if err != nil {
		tb.Fatalf("set flag %s=%s: %v", key, variant, err)
	}
	previous := ""
	for _, st := range states {
		if st.Key == key {
			previous = st.DefaultVariant
		}
	}
	if err := c.Set(ctx, key, variant); err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := c.Set(ctx, key, previous); err != nil {
			tb.Errorf("restore flag %s=%s: %v", key, previous, err)
		}
	})
}
