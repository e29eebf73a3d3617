package scenarios

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker"
)

// startDemo starts the demo shop in a half's configuration.
func startDemo(t harness.T, c Config, opts ...fixtures.Option) *harness.Env {
	t.Helper()
	hopts := []harness.Option{harness.WithTarget(targetOr(c))}
	if c.ArtifactDir != "" {
		hopts = append(hopts, harness.WithArtifactDir(c.ArtifactDir))
	}
	return harness.Start(t, demoSystem(append(quiet(), opts...)...), hopts...)
}

// quiet keeps the demo's services to errors in their logs: a scenario's
// disruption makes them warn a lot, and the verdict says what matters.
// GAMEDAY_DEMO_LOG=warn (or debug) brings their logs back.
func quiet() []fixtures.Option {
	level := os.Getenv("GAMEDAY_DEMO_LOG")
	if level == "" {
		level = "error"
	}
	var opts []fixtures.Option
	for _, svc := range fixtures.DemoServiceNames() {
		opts = append(opts, fixtures.Env(svc, "LOG_LEVEL", level))
	}
	return opts
}

// demoSystem is the demo shop in a configuration.
func demoSystem(opts ...fixtures.Option) target.System { return fixtures.Demo(opts...) }

// targetOr is the half's target, embedded by default.
func targetOr(c Config) string {
	if c.Target == "" {
		return "embedded"
	}
	return c.Target
}

// pick returns short in the fast gate, full otherwise.
func pick[V any](c Config, short, full V) V {
	if c.Short {
		return short
	}
	return full
}

// loadOpts are the options every scenario's load uses.
func loadOpts(c Config, extra ...harness.LoadOption) []harness.LoadOption {
	opts := []harness.LoadOption{}
	if c.Progress != nil {
		opts = append(opts, harness.WithProgress(c.Progress))
	}
	return append(opts, extra...)
}

// rate is a k6 rate metric's value over the whole run for a tag filter.
func rate(run *harness.Run, metric string, filter metrics.Tags) (float64, uint64) {
	m := run.Metrics.Metric(metric)
	if m == nil {
		return 0, 0
	}
	a := m.Aggregate(filter)
	return a.Rate(), a.Count
}

// arrivals is a constant-arrival-rate scenario of rate iterations per second.
func arrivals(rate int, d time.Duration, vus int, exec load.Exec) load.ConstantArrivalRate {
	return load.ConstantArrivalRate{Rate: rate, TimeUnit: time.Second, Duration: d,
		PreAllocatedVUs: vus, MaxVUs: vus * 2, Exec: exec}
}

// injectFor injects f into selector from now for d, reverted at its end or
// in t.Cleanup.
func injectFor(t harness.T, env *harness.Env, selector string, f fault.Fault, d time.Duration) {
	t.Helper()
	env.Inject(t, selector, f, fault.For(d))
}

func ms(v float64) string { return fmt.Sprintf("%.0fms", v) }

// artifactDir returns c.ArtifactDir or a temp dir removed in t.Cleanup.
func artifactDir(t harness.T, c Config) string {
	if c.ArtifactDir != "" {
		return c.ArtifactDir
	}
	d, err := os.MkdirTemp("", "gameday-artifacts-")
	if err != nil {
		t.Fatalf("artifact dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// resolveTarget is the concrete target a half runs on: the config's, else
// $GAMEDAY_TARGET, else embedded; "auto" is docker when an engine answers,
// else embedded (said in the log). Scenarios judge by the concrete target
// (seed 004's OOM can only happen in a memory-limited container).
func resolveTarget(t harness.T, tgt string) string {
	if tgt == "" {
		tgt = os.Getenv("GAMEDAY_TARGET")
	}
	concrete, err := ConcreteTarget(t.Context(), tgt)
	if err != nil {
		t.Logf("target auto: no docker engine answers (%v); using embedded", err)
	}
	return concrete
}

// ConcreteTarget is the target tgt names: "" is embedded; "auto" is
// docker when an engine answers (within 10 s), else embedded, with the
// engine's error.
func ConcreteTarget(ctx context.Context, tgt string) (string, error) {
	switch tgt {
	case "":
		return "embedded", nil
	case "auto":
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := docker.Available(ctx); err != nil {
			return "embedded", err
		}
		return "docker", nil
	}
	return tgt, nil
}
