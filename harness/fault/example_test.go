package fault_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// shop is a stand-in running system whose services can be paused.
type shop struct{ paused map[string]bool }

func (s *shop) Kind() string                                { return "example" }
func (s *shop) Services() []string                          { return []string{"cart", "checkout", "payment"} }
func (s *shop) Addr(string) (string, error)                 { return "127.0.0.1:0", nil }
func (s *shop) Stop(context.Context) error                  { return nil }
func (s *shop) Pause(_ context.Context, svc string) error   { s.paused[svc] = true; return nil }
func (s *shop) Unpause(_ context.Context, svc string) error { delete(s.paused, svc); return nil }

func Example() {
	ctx := context.Background()
	sys := &shop{paused: map[string]bool{}}
	tl := timeline.New(time.Now())
	inj, err := fault.NewInjector(sys, tl, fault.WithForbid("payment"))
	if err != nil {
		panic(err)
	}

	// The blast-radius guard refuses before anything is injected.
	_, err = inj.Inject(ctx, "pay*", fault.Pause{}, fault.For(time.Minute))
	fmt.Println(err)

	i, err := inj.Inject(ctx, "cart", fault.Pause{}, fault.For(30*time.Second))
	if err != nil {
		panic(err)
	}
	fmt.Println(i.Fault(), i.Services(), i.State(), sys.paused)
	_ = i.Revert(ctx) // also at the end of the 30s, on ctx cancel, SIGINT
	fmt.Println(i.State(), sys.paused)

	for _, ev := range tl.Events() {
		line := ev.Kind + " " + ev.Target + " " + ev.Name
		if r := ev.Attrs["reason"]; r != "" {
			line += " (" + r + ")"
		}
		fmt.Println(line)
	}
	// Output:
	// inject pause into "pay*": refused: selector "pay*" matches a forbidden service (forbidden: payment); matched payment
	// pause [cart] active map[cart:true]
	// reverted map[]
	// fault.inject cart pause
	// fault.revert cart pause (reverted)
}

func ExampleParseSpec() {
	f, err := fault.ParseSpec("http", map[string]string{"delay": "900ms", "variation": "150ms"})
	fmt.Println(f, err)
	_, err = fault.ParseSpec("http", map[string]string{"error-rate": "0.5"})
	fmt.Println(err)
	// Output:
	// http: delay 900ms±150ms, 0% errors <nil>
	// http: an error rate needs an error code
}

func ExampleSpecOf() {
	s := fault.SpecOf("product-catalog", fault.GRPC{ErrorRate: 0.3, StatusCode: 14}, fault.For(time.Minute))
	fmt.Printf("%s %s %s %v\n", s.Kind, s.Target, s.Duration, s.Params)
	// Output:
	// grpc product-catalog 1m0s map[error-rate:0.3 status-code:14]
}
