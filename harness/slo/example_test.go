package slo_test

import (
	"fmt"
	"time"

	"github.com/gameday-dev/gameday/harness/slo"
)

// The workbook's paging alerts scaled to a 60 s run: the slowest alert's
// 6 h window spans the run, so the run stands for 6 h.
func ExamplePolicy_Windows() {
	p := slo.Policy{}.WithDefaults(time.Minute)
	for _, a := range p.Alerts {
		long, short := p.Windows(a, 0)
		fmt.Printf("%g× over %s / %s → %ds / %ds\n", a.Factor, a.Long, a.Short, long, short)
	}
	// 1.44% of requests failing against a 99.9% objective burns at 14.4×:
	// for the whole 6 h the run stands for, 12% of the 30-day budget.
	rate := slo.BurnRate(9856, 10000, 0.001)
	fmt.Printf("burn %.1f×, %.0f%% of the budget\n", rate, 100*p.Budget(rate, time.Minute))
	// Output:
	// 14.4× over 1h0m0s / 5m0s → 10s / 1s
	// 6× over 6h0m0s / 30m0s → 60s / 5s
	// burn 14.4×, 12% of the budget
}
