package scenarios_test

import (
	"testing"

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
					defer scenarios.Reserve(s)()
					v := scenarios.Play(t, s, scenarios.Config{Half: h, Short: testing.Short()})
					t.Log(v.Summary())
					if !v.Passed {
						for _, m := range v.Messages {
							t.Error(m)
						}
					}
				})
			}
		})
	}
}
