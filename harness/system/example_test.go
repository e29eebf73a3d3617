package system_test

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness/system"
)

func ExampleNew() {
	sys := system.New("shop",
		system.Process("inventory", "./bin/shop", system.Args("serve", "inventory"),
			system.ListenEnv("LISTEN_ADDR"), system.Health("/ready")),
		system.Process("orders", "./bin/shop", system.Args("serve", "orders"),
			system.ListenEnv("LISTEN_ADDR"), system.Public(),
			system.Calls("inventory", "INVENTORY_URL", "http://{addr}")),
	)
	orders, _ := sys.Service("orders")
	fmt.Println(orders.Kind(), orders.Calls[0].Env+"="+orders.Calls[0].Value("127.0.0.1:41000"))
	fmt.Println(sys.Validate())

	bad := system.New("bad", system.External("api", "http://127.0.0.1:8080", system.Args("--verbose")))
	fmt.Println(bad.Validate())
	// Output:
	// process INVENTORY_URL=http://127.0.0.1:41000
	// <nil>
	// service api: Args: only process services take arguments
}
