package fault

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSpec(t *testing.T) {
	f, err := ParseSpec("http", map[string]string{"delay": "900ms", "variation": "150ms",
		"error-rate": "0.05", "error-code": "503", "error-body": " busy ", "exclude": "/health, /ready,"})
	require.NoError(t, err)
	assert.Equal(t, HTTP{AverageDelay: 900 * time.Millisecond, DelayVariation: 150 * time.Millisecond,
		ErrorRate: 0.05, ErrorCode: 503, ErrorBody: " busy ", Exclude: []string{"/health", "/ready"}}, f)

	f, err = ParseSpec("memory-limit", map[string]string{"bytes": "20Mi"})
	require.NoError(t, err)
	assert.Equal(t, MemoryLimit{Bytes: 20 << 20}, f)

	f, err = ParseSpec("kill", map[string]string{"no-restart": "true"})
	require.NoError(t, err)
	assert.Equal(t, Kill{NoRestart: true}, f)
}

func TestParseSpecReportsEverything(t *testing.T) {
	_, err := ParseSpec("http", map[string]string{"delay": "soon", "error-rate": "lots", "colour": "red"})
	require.Error(t, err)
	for _, w := range []string{`http: delay "soon": want a duration`, `error-rate "lots": want a number`,
		"unknown parameters colour (known: delay, error-body, error-code, error-rate, exclude, variation)"} {
		assert.ErrorContains(t, err, w)
	}
	_, err = ParseSpec("pause", map[string]string{"for": "1s"})
	assert.ErrorContains(t, err, "unknown parameters for (it takes none)")
	_, err = ParseSpec("nuke", nil)
	assert.ErrorContains(t, err, "unknown fault kind \"nuke\" (known: bandwidth, blackhole, cpu-limit, down, grpc, http, kill, latency, limit-data, memory-limit, partition, pause, reset-peer, slicer, timeout)")
	_, err = ParseSpec("memory-limit", map[string]string{"bytes": "20MB"})
	assert.ErrorContains(t, err, "want a size like 20Mi")
}

func TestSpecParse(t *testing.T) {
	s := SpecOf("product-catalog", slowCatalog, During(5*time.Second, 30*time.Second))
	assert.Equal(t, Spec{Kind: "http", Target: "product-catalog", Duration: "30s", Start: "5s",
		Params: map[string]string{"delay": "900ms", "variation": "150ms"}}, s)
	f, sched, err := s.Parse()
	require.NoError(t, err)
	assert.Equal(t, slowCatalog, f)
	assert.Equal(t, During(5*time.Second, 30*time.Second), sched)

	_, _, err = Spec{Kind: "pause", Duration: "-1s", Start: "x"}.Parse()
	require.Error(t, err)
	for _, w := range []string{"target is required", `start "x"`, "duration -1s must be positive"} {
		assert.ErrorContains(t, err, w)
	}
}

// FuzzParseSpec: ParseSpec never panics; what it accepts is valid and
// survives a trip through Params unchanged.
func FuzzParseSpec(f *testing.F) {
	f.Add("http", "delay", "900ms", "variation", "150ms")
	f.Add("http", "error-rate", "0.1", "error-code", "503")
	f.Add("grpc", "error-rate", "1", "status-code", "14")
	f.Add("latency", "latency", "100ms", "jitter", "5ms")
	f.Add("slicer", "size", "64", "delay", "1ms")
	f.Add("memory-limit", "bytes", "20Mi", "", "")
	f.Add("kill", "restart-after", "5s", "no-restart", "false")
	f.Add("partition", "from", "checkout", "to", "payment")
	f.Add("cpu-limit", "cpus", "NaN", "", "")
	f.Add("http", "exclude", "/a,,/b", "delay", "1ns")
	f.Fuzz(func(t *testing.T, kind, k1, v1, k2, v2 string) {
		args := map[string]string{k1: v1, k2: v2}
		got, err := ParseSpec(kind, args)
		if err != nil {
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("ParseSpec(%q, %q) returned an invalid fault: %v", kind, args, err)
		}
		again, err := ParseSpec(got.Kind(), got.Params())
		if err != nil {
			t.Fatalf("Params %q of %#v do not parse: %v", got.Params(), got, err)
		}
		if !assert.ObjectsAreEqual(got, again) {
			t.Fatalf("round trip changed %#v into %#v", got, again)
		}
		_ = got.String()
	})
}
