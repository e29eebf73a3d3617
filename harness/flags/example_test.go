package flags_test

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/open-feature/go-sdk/openfeature"

	"github.com/gameday-dev/gameday/harness/flags"
)

const exampleFlags = `{
  "flags": {
    "paymentFailure": {
      "state": "ENABLED",
      "defaultVariant": "off",
      "variants": {"off": 0, "50%": 0.5, "100%": 1}
    },
    "newCheckout": {
      "state": "ENABLED",
      "defaultVariant": "off",
      "variants": {"on": true, "off": false},
      "targeting": {"if": [{"ends_with": [{"var": "email"}, "@gameday.dev"]}, "on", null]}
    }
  }
}`

func ExampleSet_Evaluate() {
	set, err := flags.Parse([]byte(exampleFlags), "example.flagd.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := set.Evaluate("newCheckout", map[string]any{"email": "ops@gameday.dev"})
	fmt.Println(r.Value, r.Variant, r.Reason)
	r = set.Evaluate("newCheckout", map[string]any{"email": "someone@example.com"})
	fmt.Println(r.Value, r.Variant, r.Reason)
	// Output:
	// true on TARGETING_MATCH
	// false off DEFAULT
}

func ExampleParse_errors() {
	_, err := flags.Parse([]byte(`{"flags": {"paymentFailure": {
	  "state": "ENABLED", "defaultVariant": "60%", "variants": {"off": 0, "50%": 0.5}}}}`), "demo.flagd.json")
	fmt.Println(err)
	// Output:
	// demo.flagd.json: flag "paymentFailure": defaultVariant "60%" is not one of its variants ("off", "50%")
}

// A flag server, the OpenFeature provider services use, and the admin
// client a scenario uses to inject the fault.
func ExampleNewServer() {
	srv, err := flags.NewServer(flags.ServerConfig{Data: []byte(exampleFlags), AdminToken: "t0ken"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()

	// Service side: a named domain, never the global default provider.
	if err := openfeature.SetNamedProviderAndWait("example-shop", flags.NewOFREPProvider(base)); err != nil {
		fmt.Println(err)
		return
	}
	client := openfeature.NewClient("example-shop")

	// Scenario side: turn the fault on.
	admin := flags.NewAdminClient(base, "t0ken")
	if err := admin.Set(ctx, "paymentFailure", "50%"); err != nil {
		fmt.Println(err)
		return
	}
	rate, err := client.FloatValue(ctx, "paymentFailure", 0, openfeature.EvaluationContext{})
	fmt.Println(rate, err)

	err = admin.Set(ctx, "paymentFailure", "60%")
	fmt.Println(err)

	states, _ := admin.List(ctx)
	_ = flags.WriteList(os.Stdout, states)
	// Output:
	// 0.5 <nil>
	// set flag "paymentFailure" to "60%": flag "paymentFailure" has no variant "60%" (valid: off, 50%, 100%)
	// FLAG            STATE    VARIANT  VALUE  VARIANTS
	// newCheckout     ENABLED  off      false  off=false on=true
	// paymentFailure  ENABLED  50%*     0.5    off=0 50%=0.5 100%=1
}
