package fault

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var demoServices = []string{"frontend", "cart", "checkout", "payment", "product-catalog", "recommendation"}

func newTestInjector(t *testing.T, opts ...Option) (*Injector, *fakeRunning) {
	t.Helper()
	fake := newFake(demoServices...)
	inj, err := NewInjector(fake, timeline.New(time.Now()), append([]Option{WithoutSignalRevert()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = inj.Close(context.Background()) })
	return inj, fake
}

var slowCatalog = HTTP{AverageDelay: 900 * time.Millisecond, DelayVariation: 150 * time.Millisecond}

func TestSelectorRefusedBeforeAnythingIsInjected(t *testing.T) {
	cases := []struct {
		name, selector string
		opts           []Option
		want           error
		msg            string
	}{
		{"nothing", "inventory", nil, ErrNoMatch,
			`selector "inventory" matches no service; services are cart, checkout, frontend, payment, product-catalog, recommendation`},
		{"too many", "*", nil, ErrTooManyTargets, "6 matched, 1 allowed"},
		{"too many glob", "c*", nil, ErrTooManyTargets, "matched cart, checkout"},
		{"forbidden", "payment", []Option{WithForbid("payment")}, ErrForbidden, "forbidden: payment"},
		{"forbidden in glob", "*t", []Option{WithMaxTargets(10), WithForbid("pay*")}, ErrForbidden,
			"forbidden: payment); matched cart, checkout, payment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inj, fake := newTestInjector(t, tc.opts...)
			_, err := inj.Inject(context.Background(), tc.selector, slowCatalog, For(time.Minute))
			require.ErrorIs(t, err, tc.want)
			require.ErrorIs(t, err, ErrRefused)
			assert.ErrorContains(t, err, tc.msg)
			var se *SelectorError
			require.ErrorAs(t, err, &se)
			assert.Empty(t, fake.Log(), "nothing may be injected")
			assert.Empty(t, inj.Timeline().Events())
		})
	}
}

func TestRefusalsAreReportedTogether(t *testing.T) {
	inj, fake := newTestInjector(t)
	_, err := inj.Inject(context.Background(), "nope", HTTP{ErrorRate: 2}, For(0))
	require.Error(t, err)
	for _, w := range []string{"error rate 2 is outside", "duration 0s must be positive", "matches no service"} {
		assert.ErrorContains(t, err, w)
	}
	_, err = inj.Inject(context.Background(), "[", slowCatalog, For(time.Second))
	assert.ErrorContains(t, err, "syntax error in pattern")
	_, err = inj.Inject(context.Background(), "cart", slowCatalog, For(2*time.Hour))
	assert.ErrorContains(t, err, "above the 1h0m0s bound")
	assert.Empty(t, fake.Log())
}

func TestPartitionSidesGoThroughTheGuard(t *testing.T) {
	inj, fake := newTestInjector(t, WithForbid("payment"))
	_, err := inj.Inject(context.Background(), "cart", Partition{From: "payment"}, For(time.Second))
	assert.ErrorIs(t, err, ErrForbidden)
	_, err = inj.Inject(context.Background(), "cart", Partition{From: "mainframe"}, For(time.Second))
	assert.ErrorIs(t, err, target.ErrUnknownService)
	assert.Empty(t, fake.Log())
}

func TestGlobWithinMaxTargets(t *testing.T) {
	inj, fake := newTestInjector(t, WithMaxTargets(2))
	i, err := inj.Inject(context.Background(), "c*", Pause{}, For(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []string{"cart", "checkout"}, i.Services())
	assert.Equal(t, []string{"paused:cart", "paused:checkout"}, fake.Active())
	require.NoError(t, i.Revert(context.Background()))
	assert.Empty(t, fake.Active())
}

func TestRevertedAtTheEndOfTheSchedule(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "product-catalog", slowCatalog, For(50*time.Millisecond))
	require.NoError(t, err)
	assert.True(t, i.Active())
	assert.Equal(t, []string{"http:product-catalog"}, fake.Active())
	require.NoError(t, i.Wait(context.Background()))
	assert.False(t, i.Active())
	assert.Equal(t, Reverted, i.State())
	assert.Equal(t, ReasonEnded, i.Reason())
	assert.Empty(t, fake.Active())
	assert.Equal(t, []time.Duration{50*time.Millisecond + DefaultTTLMargin, 50*time.Millisecond + DefaultTTLMargin}, fake.ttls,
		"the proxy's TTL is the duration plus the margin")
}

func TestRevertTwice(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "cart", slowCatalog, For(time.Minute))
	require.NoError(t, err)
	require.NoError(t, i.Revert(context.Background()))
	require.NoError(t, i.Revert(context.Background()))
	assert.Equal(t, ReasonReverted, i.Reason())
	assert.Equal(t, []string{"http+ cart", "http- cart"}, fake.Log())
}

func TestRevertedWhenContextIsCancelled(t *testing.T) {
	inj, fake := newTestInjector(t)
	ctx, cancel := context.WithCancel(context.Background())
	i, err := inj.Inject(ctx, "cart", Kill{}, For(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []string{"down:cart"}, fake.Active())
	cancel()
	require.NoError(t, i.Wait(context.Background()))
	assert.Equal(t, ReasonCancelled, i.Reason())
	assert.Equal(t, []string{"kill cart", "start cart"}, fake.Log())
}

func TestDelayedStart(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "cart", Pause{}, During(60*time.Millisecond, 60*time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, Pending, i.State())
	assert.Empty(t, fake.Log())
	require.Eventually(t, i.Active, time.Second, 5*time.Millisecond)
	require.NoError(t, i.Wait(context.Background()))
	assert.Equal(t, []string{"pause cart", "unpause cart"}, fake.Log())
}

func TestRevertBeforeStartInjectsNothing(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "cart", Pause{}, During(time.Hour, time.Minute))
	require.NoError(t, err)
	require.NoError(t, i.Revert(context.Background()))
	assert.Equal(t, Reverted, i.State())
	assert.Empty(t, fake.Log())
	assert.Empty(t, inj.Timeline().Events())
}

func TestFailedApplyRollsBack(t *testing.T) {
	inj, fake := newTestInjector(t, WithMaxTargets(2))
	fake.fail["pause checkout"] = errors.New("container gone")
	_, err := inj.Inject(context.Background(), "c*", Pause{}, For(time.Minute))
	require.ErrorContains(t, err, "inject pause into checkout: pause checkout: container gone")
	assert.Equal(t, []string{"pause cart", "unpause cart"}, fake.Log())
	assert.Empty(t, fake.Active())
	w := inj.Timeline().Windows()
	require.Len(t, w, 1)
	assert.False(t, w[0].Open)
}

func TestKillRestartsAfter(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "cart", Kill{RestartAfter: 40 * time.Millisecond}, For(time.Minute))
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, i.Wait(context.Background()))
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Equal(t, []string{"kill cart", "start cart"}, fake.Log())
}

func TestRevertErrorIsReported(t *testing.T) {
	inj, fake := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	require.NoError(t, err)
	fake.fail["unpause cart"] = errors.New("daemon down")
	err = i.Revert(context.Background())
	assert.ErrorContains(t, err, "unpause cart: daemon down")
	assert.Equal(t, err, i.Revert(context.Background()), "second revert returns the same error")
	ev := inj.Timeline().Events()
	require.Len(t, ev, 2)
	assert.Equal(t, "unpause cart: daemon down", ev[1].Attrs["error"])
}

func TestTimelineEvents(t *testing.T) {
	inj, _ := newTestInjector(t)
	i, err := inj.Inject(context.Background(), "product-catalog", slowCatalog, For(time.Minute))
	require.NoError(t, err)
	require.NoError(t, i.Revert(context.Background()))
	ev := inj.Timeline().Events()
	require.Len(t, ev, 2)
	assert.Equal(t, timeline.FaultInject, ev[0].Kind)
	assert.Equal(t, timeline.FaultRevert, ev[1].Kind)
	assert.Equal(t, ev[0].ID, ev[1].ID)
	assert.Equal(t, "product-catalog", ev[0].Target)
	assert.Equal(t, "http: delay 900ms±150ms, 0% errors", ev[0].Name)
	assert.Equal(t, map[string]string{"kind": "http", "delay": "900ms", "variation": "150ms", "injection": "f1",
		"selector": "product-catalog", "duration": "1m0s", "ttl": "1m5s"}, ev[0].Attrs)
	assert.Equal(t, map[string]string{"reason": "reverted", "injection": "f1"}, ev[1].Attrs)
	w := inj.Timeline().Windows()
	require.Len(t, w, 1)
	assert.False(t, w[0].Open)
}

func TestCloseRevertsAndRefuses(t *testing.T) {
	inj, fake := newTestInjector(t, WithMaxTargets(3))
	_, err := inj.Inject(context.Background(), "c*", Pause{}, For(time.Minute))
	require.NoError(t, err)
	_, err = inj.Inject(context.Background(), "payment", Kill{}, For(time.Minute))
	require.NoError(t, err)
	require.NoError(t, inj.Close(context.Background()))
	require.NoError(t, inj.Close(context.Background()))
	assert.Empty(t, fake.Active())
	_, err = inj.Inject(context.Background(), "cart", Pause{}, For(time.Minute))
	assert.ErrorIs(t, err, ErrClosed)
	for _, i := range inj.Injections() {
		assert.Equal(t, Reverted, i.State())
	}
}

func TestInjectTRevertsInCleanup(t *testing.T) {
	fake := newFake(demoServices...)
	inj, err := NewInjector(fake, nil, WithoutSignalRevert())
	require.NoError(t, err)
	t.Run("inner", func(t *testing.T) {
		InjectT(t, inj, "cart", Pause{}, For(time.Minute))
		assert.Equal(t, []string{"paused:cart"}, fake.Active())
	})
	assert.Empty(t, fake.Active())
	assert.Equal(t, []string{"pause cart", "unpause cart"}, fake.Log())
}

func TestNewInjectorValidates(t *testing.T) {
	_, err := NewInjector(nil, nil)
	assert.Error(t, err)
	_, err = NewInjector(newFake("a"), nil, WithMaxTargets(-1), WithForbid("["), WithTTLMargin(-1))
	require.Error(t, err)
	for _, w := range []string{"max targets -1", `forbid pattern "["`, "ttl margin -1ns"} {
		assert.ErrorContains(t, err, w)
	}
}

func TestOneFaultPerSlotAndService(t *testing.T) {
	inj, fake := newTestInjector(t, WithMaxTargets(2))
	first, err := inj.Inject(context.Background(), "cart", Latency{Latency: 100 * time.Millisecond}, For(time.Minute))
	require.NoError(t, err)
	_, err = inj.Inject(context.Background(), "c*", Bandwidth{KBps: 1}, For(time.Minute))
	assert.ErrorIs(t, err, ErrConflict)
	assert.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "cart conflicts with an active fault f1 (tcp latency: 100ms")
	// Other slots and other services are free.
	_, err = inj.Inject(context.Background(), "cart", slowCatalog, For(time.Minute))
	require.NoError(t, err)
	_, err = inj.Inject(context.Background(), "checkout", Bandwidth{KBps: 1}, For(time.Minute))
	require.NoError(t, err)
	require.NoError(t, first.Revert(context.Background()))
	_, err = inj.Inject(context.Background(), "cart", Bandwidth{KBps: 1}, For(time.Minute))
	require.NoError(t, err)
	require.NoError(t, inj.RevertAll(context.Background()))
	assert.Empty(t, fake.Active())
}
