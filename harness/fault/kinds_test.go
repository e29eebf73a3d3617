package fault

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyKind is one valid fault of each kind, what it reads as on a
// timeline, and what it puts in force on service "cart" of a fakeRunning.
var everyKind = []struct {
	f      Fault
	str    string
	active string
}{
	{HTTP{AverageDelay: 900 * time.Millisecond, DelayVariation: 150 * time.Millisecond},
		"http: delay 900ms±150ms, 0% errors", "http:cart"},
	{HTTP{ErrorRate: 0.1, ErrorCode: 503, Exclude: []string{"/health"}},
		"http: delay 0s, 10% errors (503), except /health", "http:cart"},
	{GRPC{AverageDelay: time.Second, ErrorRate: 0.5, StatusCode: 14},
		"grpc: delay 1s, 50% errors (14)", "grpc:cart"},
	{Latency{Latency: 100 * time.Millisecond, Jitter: 10 * time.Millisecond}, "tcp latency: 100ms±10ms", "tcp:cart"},
	{Bandwidth{KBps: 10}, "tcp bandwidth: 10 KB/s", "tcp:cart"},
	{ResetPeer{After: time.Second}, "tcp reset: after 1s", "tcp:cart"},
	{ResetPeer{}, "tcp reset: immediately", "tcp:cart"},
	{Timeout{After: 5 * time.Second}, "tcp timeout: close after 5s", "tcp:cart"},
	{Blackhole{}, "tcp blackhole", "tcp:cart"},
	{Slicer{AverageSize: 64, SizeVariation: 16, Delay: time.Millisecond}, "tcp slicer: 64±16 B every 1ms", "tcp:cart"},
	{Down{}, "tcp down: connections refused", "tcp:cart"},
	{Kill{}, "kill: restart at the end", "down:cart"},
	{Kill{RestartAfter: 5 * time.Second}, "kill: restart after 5s", "down:cart"},
	{Pause{}, "pause", "paused:cart"},
	{Partition{From: "checkout"}, "partition: checkout → *", "cut:checkout>cart"},
	{Partition{To: "payment"}, "partition: * → payment", "cut:cart>payment"},
	{MemoryLimit{Bytes: 20 << 20}, "memory-limit: 20Mi", "memory:cart"},
	{CPULimit{CPUs: 0.5}, "cpu-limit: 0.5 CPUs", "cpu:cart"},
	{LimitData{Bytes: 1 << 10}, "tcp limit-data: close after 1Ki", "tcp:cart"},
}

func TestEveryKindAppliesAndReverts(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range everyKind {
		covered[tc.f.Kind()] = true
	}
	assert.Len(t, covered, len(Kinds()), "everyKind covers every kind of the table")
	for _, tc := range everyKind {
		t.Run(tc.str, func(t *testing.T) {
			require.NoError(t, tc.f.Validate())
			assert.Equal(t, tc.str, tc.f.String())
			fake := newFake("cart", "checkout", "payment")
			rev, err := Apply(context.Background(), tc.f, fake, "cart", time.Minute)
			require.NoError(t, err)
			assert.Equal(t, []string{tc.active}, fake.Active())
			require.NoError(t, rev(context.Background()))
			assert.Empty(t, fake.Active(), "fault left in force after revert")
		})
	}
}

func TestEveryKindRoundTripsThroughParseSpec(t *testing.T) {
	for _, tc := range everyKind {
		g, err := ParseSpec(tc.f.Kind(), tc.f.Params())
		require.NoError(t, err, tc.str)
		assert.Equal(t, tc.f, g)
	}
}

func TestKindsRefusedWithoutCapability(t *testing.T) {
	bare := bareRunning{services: []string{"cart"}}
	for _, tc := range everyKind {
		_, err := Apply(context.Background(), tc.f, bare, "cart", time.Minute)
		assert.ErrorIs(t, err, target.ErrUnsupported, tc.str)
	}
}

func TestKillNoRestartStaysDown(t *testing.T) {
	fake := newFake("cart")
	rev, err := Apply(context.Background(), Kill{NoRestart: true}, fake, "cart", time.Minute)
	require.NoError(t, err)
	require.NoError(t, rev(context.Background()))
	assert.Equal(t, []string{"kill cart"}, fake.Log())
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cases := []struct {
		f    Fault
		want []string // substrings, one per problem
	}{
		{HTTP{AverageDelay: -time.Second, DelayVariation: 2 * time.Second, ErrorRate: 1.5},
			[]string{"average delay -1s is negative", "variation 2s is above", "error rate 1.5 is outside"}},
		{HTTP{ErrorRate: 0.1}, []string{"an error rate needs an error code"}},
		{HTTP{ErrorRate: 0.1, ErrorCode: 99, Exclude: []string{"health"}},
			[]string{"99 is not an HTTP error status", `"health" does not start with /`}},
		{HTTP{}, []string{"no effect"}},
		{HTTP{AverageDelay: 2 * time.Hour}, []string{"above the 1h0m0s bound"}},
		{GRPC{ErrorRate: 0.2}, []string{"needs a status code"}},
		{GRPC{ErrorRate: 0.2, StatusCode: 17}, []string{"17 is not a gRPC error code"}},
		{Latency{}, []string{"below 1ms"}},
		{Latency{Latency: time.Millisecond, Jitter: 2 * time.Millisecond}, []string{"jitter 2ms is above"}},
		{Latency{Latency: 1500 * time.Microsecond}, []string{"whole milliseconds"}},
		{Bandwidth{}, []string{"0 KB/s is outside"}},
		{ResetPeer{After: -1}, []string{"negative"}},
		{Timeout{}, []string{"use blackhole"}},
		{Slicer{AverageSize: 10, SizeVariation: 10, Delay: -1}, []string{"variation 10", "negative"}},
		{Slicer{}, []string{"size 0 is outside"}},
		{Kill{RestartAfter: time.Second, NoRestart: true}, []string{"contradict"}},
		{Partition{}, []string{"set from, to or both"}},
		{Partition{From: "a", To: "a"}, []string{"both \"a\""}},
		{MemoryLimit{Bytes: 1 << 20}, []string{"1Mi is below the 6Mi minimum"}},
		{CPULimit{}, []string{"0 CPUs is outside"}},
	}
	for _, tc := range cases {
		err := tc.f.Validate()
		require.Error(t, err, "%#v", tc.f)
		for _, w := range tc.want {
			assert.Contains(t, err.Error(), w, "%#v", tc.f)
		}
		if len(tc.want) > 1 {
			var joined interface{ Unwrap() []error }
			require.True(t, errors.As(err, &joined), "problems should be errors.Join'ed")
			assert.GreaterOrEqual(t, len(joined.Unwrap()), len(tc.want))
		}
		assert.False(t, strings.HasPrefix(err.Error(), "failed"))
	}
}

func TestPartitionSides(t *testing.T) {
	fake := newFake("checkout", "payment", "cart")
	_, err := Apply(context.Background(), Partition{From: "checkout", To: "payment"}, fake, "cart", time.Minute)
	assert.ErrorContains(t, err, "neither side")
	rev, err := Apply(context.Background(), Partition{From: "checkout", To: "payment"}, fake, "payment", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, []string{"cut:checkout>payment"}, fake.Active())
	require.NoError(t, rev(context.Background()))
	_, err = Apply(context.Background(), Partition{From: "cart"}, fake, "cart", time.Minute)
	assert.ErrorContains(t, err, "from itself")
}

func TestTCPKindsSpeakToxiproxy(t *testing.T) {
	fake := newFake("kafka")
	_, err := Apply(context.Background(), Slicer{AverageSize: 64, SizeVariation: 16, Delay: 2 * time.Millisecond}, fake, "kafka", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "slicer map[average_size:64 delay:2000 size_variation:16]", fake.active["tcp:kafka"])
	for _, tc := range everyKind {
		if slotOf(tc.f) == "tcp" {
			_, err := Apply(context.Background(), tc.f, newFake("kafka"), "kafka", time.Minute)
			require.NoError(t, err)
		}
	}
}

func TestTCPKindsThroughTheServiceProxy(t *testing.T) {
	fake := newFake("kafka")
	rev, err := Apply(context.Background(), Down{}, proxiedOnly{fake}, "kafka", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, []string{"tcp:kafka"}, fake.Active())
	require.NoError(t, rev(context.Background()))
	assert.Empty(t, fake.Active())
	_, err = Apply(context.Background(), slowCatalog, proxiedOnly{fake}, "kafka", time.Minute)
	require.NoError(t, err, "http faults go through the same proxy")
}
