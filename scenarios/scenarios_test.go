package scenarios_test

import (
	"testing"

	"github.com/gameday-dev/gameday/harness"

	"github.com/gameday-dev/gameday/scenarios"
)

// TestCatalogue plays both halves of every scenario: the unfixed half must
// violate its SLO, the fixed half must hold it.
func TestCatalogue(t *testing.T) {
	t.Parallel() // beside the package's other long tests
	for _, s := range scenarios.Catalogue() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			for _, h := range scenarios.Halves {
				t.Run(string(h), func(t *testing.T) {
					t.Parallel()
					defer scenarios.ReserveHalf(s, h)()
					// Target "": $GAMEDAY_TARGET, else embedded.
					v := scenarios.Play(t, s, scenarios.Config{Half: h, Short: testing.Short()})
					t.Log(v.Summary())
					switch v.Status {
					case harness.Error:
						t.Errorf("ERROR (could not be judged): %s", v.Error)
					case harness.Fail:
						for _, m := range v.Messages {
							t.Error(m)
						}
					}
				})
			}
		})
	}
}
