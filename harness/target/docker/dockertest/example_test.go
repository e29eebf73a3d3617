package dockertest_test

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness/target/docker/dockertest"
)

// A demo-sized system for start/stop benchmarks.
func ExampleWide() {
	sys := dockertest.Wide(4)
	for _, s := range sys.Services {
		fmt.Println(s.Name, s.Deps, s.Public)
	}
	// Output:
	// web [api] true
	// api [] false
	// api-3 [] false
	// api-4 [] false
}
