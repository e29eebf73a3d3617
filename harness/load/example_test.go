package load_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gameday-dev/gameday/harness/load"
)

// A ten-line load test: 20 iterations per second for a second against a
// loopback server, with an SLO on latency and errors.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()

	res, err := load.RunLoad(context.Background(), load.Options{
		Scenarios: load.Scenarios{"browse": load.ConstantArrivalRate{Rate: 20, Duration: time.Second, PreAllocatedVUs: 5, MaxVUs: 50,
			Exec: func(ctx context.Context, vu *load.VU) error {
				res, err := vu.HTTP.Get(ctx, srv.URL+"/api/products")
				vu.Check("status is 200", err == nil && res.Status == 200)
				return err
			}}},
		Thresholds: map[string][]string{"http_req_failed": {"rate<0.01"}, "http_req_duration{name:/api/products}": {"p(95)<500"}},
	})
	if err != nil {
		panic(err)
	}
	for _, t := range res.Thresholds {
		fmt.Println(t.Metric, t.Source, t.Ok)
	}
	fmt.Println("requests:", res.Registry.Metric("http_reqs").Aggregate(nil).Sum)
	// Output:
	// http_req_duration{name:/api/products} p(95)<500 true
	// http_req_failed rate<0.01 true
	// requests: 20
}
