package entrypoint_test

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness/target"
	"github.com/gameday-dev/gameday/harness/target/docker/entrypoint"
)

// A service's configuration is its spec's Env overridden by the container's
// environment.
func ExampleServiceEnv() {
	svc := target.Service{Name: "web", Env: target.Env{"TIMEOUT": "1s", "RETRIES": "0"}}
	env := entrypoint.ServiceEnv(svc, []string{"RETRIES=3", "API_ADDR=api:8080"})
	fmt.Println(env.Get("TIMEOUT", ""), env.Get("RETRIES", ""), env.Get(target.AddrEnv("api"), ""))
	// Output: 1s 3 api:8080
}
