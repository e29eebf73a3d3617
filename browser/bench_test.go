package browser

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gameday-dev/gameday/harness/metrics"
)

// benchContexts is N, the browser contexts working at once.
const benchContexts = 4

// spread runs total jobs over n workers and returns jobs per second.
func spread(b *testing.B, n, total int, job func(worker int) error) float64 {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			for next.Add(1) <= int64(total) {
				if err := job(w); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return float64(total) / time.Since(start).Seconds()
}

// BenchmarkJourneyThroughput compares shop journeys per second through the
// pool (instrumented: metrics, web vitals, failure handling) with the same
// chromedp actions run raw on tabs of the same kind, on this machine, in
// the same run. The three variants alternate in rounds so a busy machine
// slows them alike. Reported: journeys/s of each and the ratios.
func BenchmarkJourneyThroughput(b *testing.B) {
	shop := NewTestShop(b)
	j := ShopJourney(shop.URL)
	const rounds = 3
	perRound := max(b.N/rounds, benchContexts)

	// Raw chromedp: one tab per worker in its own browser context, created
	// before timing, the journey's actions run back to back.
	raw := make([]context.Context, benchContexts)
	for w := range raw {
		ctx, cancel := chromedp.NewContext(shared.proc.ctx, chromedp.WithNewBrowserContext())
		b.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil {
			b.Fatal(err)
		}
		raw[w] = ctx
	}
	runRaw := func(w int) error {
		for _, s := range j.Steps {
			if err := chromedp.Do(raw[w], s.Action); err != nil {
				return err
			}
		}
		return nil
	}
	// Pools on the shared browser whose contexts stay open, like the raw tabs.
	newPool := func(settle time.Duration) func(int) error {
		cfg := sharedConfig
		cfg.RecycleAfter = 1 << 30
		cfg.VitalsSettle = settle
		cfg.Registry = metrics.NewRegistry(time.Now())
		p := &Pool{cfg: cfg.withDefaults(), proc: shared.proc, gen: 1, idle: map[int]*session{}, changed: make(chan struct{})}
		b.Cleanup(func() {
			for _, s := range p.idle {
				s.close()
			}
		})
		return func(w int) error { return p.RunJourney(context.Background(), w, j, nil) }
	}
	variants := []struct {
		name string
		run  func(int) error
		took time.Duration
	}{{name: "raw", run: runRaw}, {name: "pool", run: newPool(DefaultVitalsSettle)}, {name: "pool_nosettle", run: newPool(-1)}}
	for i := range variants { // warm: contexts open, pages cached
		spread(b, benchContexts, benchContexts, variants[i].run)
	}
	b.ResetTimer()
	for range rounds {
		for i := range variants {
			start := time.Now()
			spread(b, benchContexts, perRound, variants[i].run)
			variants[i].took += time.Since(start)
		}
	}
	b.StopTimer()
	rate := func(i int) float64 { return float64(rounds*perRound) / variants[i].took.Seconds() }
	b.ReportMetric(rate(0), "raw_journeys/s")
	b.ReportMetric(rate(1), "pool_journeys/s")
	b.ReportMetric(rate(1)/rate(0), "pool/raw")
	b.ReportMetric(rate(2)/rate(0), "pool_nosettle/raw")
}

// BenchmarkBrowserStart measures starting (and closing) a pool's Chromium.
func BenchmarkBrowserStart(b *testing.B) {
	var total time.Duration
	for b.Loop() {
		p, err := NewPool(context.Background(), sharedConfig)
		if err != nil {
			b.Fatal(err)
		}
		total += p.StartTime()
		if err := p.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "start_ms")
}

// BenchmarkMemoryPerContext opens N contexts, each on the shop's home page,
// and reports the growth of the browser's proportional set size per context.
func BenchmarkMemoryPerContext(b *testing.B) {
	shop := NewTestShop(b)
	for b.Loop() {
		cfg := sharedConfig
		cfg.MaxContexts = benchContexts
		p, err := NewPool(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond) // let the start settle
		before := pss(p.proc.dir)
		var sessions []*session
		for vu := range benchContexts {
			s, err := p.acquire(context.Background(), vu)
			if err != nil {
				b.Fatal(err)
			}
			if err := chromedp.Do(s.ctx, Goto(shop.URL+"/")); err != nil {
				b.Fatal(err)
			}
			sessions = append(sessions, s)
		}
		time.Sleep(500 * time.Millisecond)
		after := pss(p.proc.dir)
		for _, s := range sessions {
			p.release(s, true)
		}
		_ = p.Close()
		b.ReportMetric(float64(before)/1024, "browser_MiB")
		b.ReportMetric(float64(after-before)/1024/benchContexts, "MiB/context")
	}
}

// pss sums the proportional set size (KiB) of the processes of a browser.
func pss(dir string) int64 {
	var sum int64
	for _, pid := range pidsUsing(dir, false) {
		f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				sum += kb
			}
		}
		f.Close()
	}
	return sum
}
