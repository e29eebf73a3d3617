package harness_test

import (
	"context"
	"fmt"

	"github.com/gameday-dev/gameday/harness"
)

// A Runner plays a test body outside `go test` (as `gameday run` does):
// Fatalf stops the body, and cleanups still run.
func ExampleRunner() {
	r := harness.NewRunner(context.Background(), "demo", nil)
	r.Run(func(t harness.T) {
		t.Cleanup(func() { fmt.Println("fault reverted") })
		t.Fatalf("SLO gate failed: %s", "p(95)<500")
		fmt.Println("never reached")
	})
	fmt.Println(r.Failed(), r.Messages())
	// Output:
	// fault reverted
	// true [SLO gate failed: p(95)<500]
}
