package scenarios

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gameday-dev/gameday/harness"
)

// A half's target: the config's, else $GAMEDAY_TARGET, else embedded;
// auto resolves before the half starts, so the scenario judges what can
// happen where it runs.
func TestResolveTarget(t *testing.T) {
	r := harness.NewRunner(context.Background(), "resolve", nil)
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "none.sock"))
	for _, c := range []struct{ cfg, env, want string }{
		{"", "", "embedded"},
		{"", "docker", "docker"},
		{"embedded", "docker", "embedded"},
		{"docker", "", "docker"},
		{"auto", "", "embedded"}, // no engine answers
		{"", "auto", "embedded"},
	} {
		t.Setenv("GAMEDAY_TARGET", c.env)
		if got := resolveTarget(r, c.cfg); got != c.want {
			t.Errorf("config %q, GAMEDAY_TARGET %q: %q, want %q", c.cfg, c.env, got, c.want)
		}
	}
}
