package netguard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gameday-dev/gameday/harness/netguard"
)

// Loopback passes; anything else must be a host the run started.
func ExampleGuard_Check() {
	g := netguard.New("10.0.0.7") // e.g. a container this run created
	ctx := context.Background()
	for _, host := range []string{"127.0.0.1", "::1", "10.0.0.7", "192.0.2.1"} {
		err := g.Check(ctx, host)
		fmt.Println(host, errors.Is(err, netguard.ErrNotAllowed))
	}
	// Output:
	// 127.0.0.1 false
	// ::1 false
	// 10.0.0.7 false
	// 192.0.2.1 true
}
