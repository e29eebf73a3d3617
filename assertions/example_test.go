package assertions_test

import (
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault/proxy"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// exampleRun is 10 s of checkout requests: 95% at 100 ms, 5% at 2 s.
func exampleRun() *harness.Run {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	reg := metrics.NewRegistry(start)
	for s := 0; s < 10; s++ {
		for i := 0; i < 100; i++ {
			at := start.Add(time.Duration(s)*time.Second + time.Duration(i)*10*time.Millisecond)
			v := 100.0
			if i < 5 {
				v = 2000
			}
			_ = reg.Add(metrics.HTTPReqDuration, at, v, metrics.Tags{"name": "checkout"})
		}
	}
	return &harness.Run{Name: "example", Start: start, End: start.Add(10 * time.Second),
		Metrics: reg, Timeline: timeline.New(start),
		Edges: []proxy.Edge{
			{Caller: "frontend", Callee: "recommendation", Requests: 200},
			{Caller: "recommendation", Callee: "product-catalog", Requests: 800},
		}}
}

// printer is what the CLI passes: it prints failures instead of failing a test.
type printer struct{}

func (printer) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }

func ExampleTailHiddenByAverage() {
	tail, _ := assertions.TailHiddenByAverage(exampleRun(), metrics.HTTPReqDuration,
		metrics.Tags{"name": "checkout"}, 200, 1000, 99)
	fmt.Println(tail)
	// Output:
	// http_req_duration{name:checkout} over 1000 samples: avg 195 (limit 200) ok; p(99) 2000 (limit 1000) BREACHED — the average hides a tail breach
}

func ExampleAmplificationBelow() {
	run := exampleRun()
	f, _ := assertions.Amplification(run, "recommendation->product-catalog")
	fmt.Println("factor", f)
	ok := assertions.AmplificationBelow(printer{}, run, "recommendation->product-catalog", 1.5)
	fmt.Println("held:", ok)
	// Output:
	// factor 4
	// FAIL: amplification recommendation->product-catalog is 4 (800 downstream calls for 200 requests into recommendation), limit 1.5; window whole run [0.0s–10.0s]; active: none
	// held: false
}

func ExampleBurnRate() {
	// 5% of checkouts over 1 s against a 99% latency SLO: 5x the budget.
	slo := assertions.Latency(metrics.Tags{"name": "checkout"}, time.Second, 0.99)
	burn, _ := assertions.BurnRate(exampleRun(), slo, assertions.BurnPolicy{})
	fmt.Printf("burn %.3gx, run stands for %s, budget spent %.3g%%\n",
		burn.Rate, time.Duration(burn.Policy.Scale*10)*time.Second, burn.BudgetConsumed*100)
	for _, a := range burn.Alerts {
		fmt.Printf("%gx over %s/%s fired: %v\n", a.Factor, a.LongWindow, a.ShortWindow, a.Fired)
	}
	// Output:
	// burn 5x, run stands for 6h0m0s, budget spent 4.17%
	// 14.4x over 2s/1s fired: false
	// 6x over 10s/1s fired: false
}
