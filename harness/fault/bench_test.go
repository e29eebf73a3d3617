package fault

import (
	"context"
	"testing"
	"time"
)

// BenchmarkInjectRevert is the harness's own cost of one inject and revert
// (guard, timeline, goroutine, signal bookkeeping) against a fake target.
func BenchmarkInjectRevert(b *testing.B) {
	for _, signals := range []bool{false, true} {
		name := "no-signals"
		var opts []Option
		if signals {
			name = "signals"
		} else {
			opts = append(opts, WithoutSignalRevert())
		}
		b.Run(name, func(b *testing.B) {
			inj, err := NewInjector(newFake(demoServices...), nil, opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			for b.Loop() {
				i, err := inj.Inject(ctx, "cart", slowCatalog, For(time.Minute))
				if err != nil {
					b.Fatal(err)
				}
				if err := i.Revert(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
