package scenarios_test

import (
	"fmt"

	"github.com/gameday-dev/gameday/scenarios"
)

// Select picks scenarios by name for `gameday run --only`.
func ExampleSelect() {
	picked, err := scenarios.Select([]string{"payment-failure", "homepage-flood"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range picked {
		fmt.Println(s.Name, "—", s.Fix)
	}
	_, err = scenarios.Select([]string{"no-such-incident"})
	fmt.Println(err)
	// Output:
	// payment-failure — circuit breaker on checkout->payment (30% failures, 30 s open) and a graceful 'payment unavailable, your cart is kept'
	// homepage-flood — load shedding: at most 1 concurrent home pages, the rest answered 503 at once
	// unknown scenario(s) no-such-incident (see 'gameday list')
}
