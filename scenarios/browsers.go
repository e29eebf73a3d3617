package scenarios

import (
	"time"

	"github.com/gameday-dev/gameday/browser"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
)

// browserPool starts a Chromium pool recording into reg, closed in t.Cleanup.
func browserPool(t harness.T, env *harness.Env, c Config, reg *metrics.Registry, contexts int) *browser.Pool {
	t.Helper()
	pool, err := browser.NewPool(t.Context(), browser.PoolConfig{
		MaxContexts: contexts, Registry: reg, ArtifactDir: artifactDir(t, c), Timeline: env.Timeline,
		StepTimeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("browser pool: %v", err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	return pool
}
