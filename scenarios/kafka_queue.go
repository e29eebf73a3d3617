package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/fixtures"
	"github.com/gameday-dev/gameday/fixtures/demo"
	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/target/docker"
	"github.com/gameday-dev/gameday/harness/timeline"
)

// Seeds 000 and 004: kafkaQueueProblems makes checkout send N extra messages
// per order from N goroutines, each holding a buffer, while fraud-detection
// sleeps per message: consumer lag grows without bound and checkout's memory
// spikes (in a 20Mi container it is OOM-killed). The fix bounds the
// producer: extra messages beyond a small in-flight budget are dropped.
const (
	kafkaVariant      = "on" // 100 extra messages per order
	kafkaLagBound     = 100  // messages: the backlog the SLO tolerates
	kafkaProducerSlot = 1    // the fixed producer's in-flight budget
	// kafkaCheckoutRate is checkouts per second on embedded. Fixed, each
	// order publishes itself and at most one extra message while
	// fraud-detection reads one a second: the lag grows ~1/s, 30 in the
	// full run's 30 s, far from kafkaLagBound. Unfixed, 100 extras per order.
	kafkaCheckoutRate = 1
	lagMetric         = "kafka_consumer_lag"
	heldMetric        = "checkout_kafka_held_bytes"

	// On the docker target, seed 004 itself: checkout in a 20Mi container,
	// the flag's "2000" variant, 50 users with a think time like Locust's.
	oomMemoryLimit = 20 << 20
	oomVariant     = "2000"
	oomUsers       = 50
	oomThink       = time.Second
)

func kafkaQueueProblems() Scenario {
	return Scenario{
		Name:     "kafka-queue-problems",
		Incident: "seeds 000/004: kafkaQueueProblems floods the orders topic from unbounded goroutines; fraud-detection lags, checkout's memory spikes",
		Load:     "checkouts at a constant arrival rate",
		Fault:    "flag kafkaQueueProblems=" + kafkaVariant + " (docker: \"2000\", checkout in a 20Mi container, 50 users)",
		SLO:      fmt.Sprintf("fraud-detection consumer lag ≤ %d messages (embedded); no OOM kill or restart of checkout (docker)", kafkaLagBound),
		Fix:      fmt.Sprintf("bounded producer: at most %d extra message buffer(s) in flight, the rest dropped", kafkaProducerSlot),
		Play: func(t harness.T, c Config) *Outcome {
			var opts []fixtures.Option
			if c.Half == Fixed {
				opts = append(opts, fixtures.BoundedProducer(kafkaProducerSlot))
			}
			onDocker := targetOr(c) == "docker"
			var env *harness.Env
			variant, sc := kafkaVariant, load.Scenarios{}
			if onDocker {
				// GOMEMLIMIT keeps checkout's idle heap small (as Go services in
				// containers set it); the flood's buffers are live memory all the same.
				opts = append(opts, fixtures.Env(demo.Checkout, "GOMEMLIMIT", "16MiB"))
				env = harness.Start(t, demoSystem(append(quiet(), opts...)...), harness.WithCustomTarget(
					docker.New(docker.WithMemoryLimit(demo.Checkout, oomMemoryLimit), docker.WithRestartPolicy("on-failure"))))
				variant = oomVariant
			} else {
				env = startDemo(t, c, opts...)
			}
			env.SetFlag(t, "kafkaQueueProblems", variant)
			d := pick(c, 10*time.Second, 30*time.Second)
			front := env.URL("frontend")
			if onDocker {
				d = pick(c, 60*time.Second, 2*time.Minute) // the seed's 60–90 s to an OOM kill
				sc["buyers"] = load.ConstantVUs{VUs: oomUsers, Duration: d, Exec: func(ctx context.Context, vu *load.VU) error {
					if err := fixtures.Checkout(front)(ctx, vu); err != nil {
						return err
					}
					return sleepCtx(ctx, time.Duration(rand.Int64N(int64(2*oomThink))))
				}}
			} else {
				sc["buyers"] = arrivals(kafkaCheckoutRate, d, 4, fixtures.Checkout(front))
			}
			reg := metrics.NewRegistry(time.Now())
			lag := reg.MustDefine(lagMetric, metrics.Gauge, metrics.Default).Series(nil)
			held := reg.MustDefine(heldMetric, metrics.Gauge, metrics.Data).Series(nil)
			run := env.Load(t, sc, nil, loadOpts(c, harness.WithRegistry(reg))...)
			ctx, cancel := context.WithTimeout(t.Context(), d+30*time.Second)
			stopped := make(chan struct{})
			go func() {
				defer close(stopped)
				poll(ctx, time.Second, func(now time.Time) {
					var fraud struct {
						Lag int64 `json:"lag"`
					}
					if getJSON(ctx, env.URL("fraud-detection")+"/metrics", &fraud) == nil {
						lag.Add(now, float64(fraud.Lag))
					}
					var co struct {
						Queue struct {
							Held int64 `json:"heldBytes"`
							Peak int64 `json:"peakHeldBytes"` // between two polls too
						} `json:"queue"`
					}
					if getJSON(ctx, env.URL("checkout")+"/debug/state", &co) == nil {
						held.Add(now, float64(max(co.Queue.Held, co.Queue.Peak)))
					}
				})
			}()
			res := run.Wait(t)
			cancel()
			<-stopped
			o := &Outcome{Run: res}
			if !onDocker {
				o.Scheduled("checkout", kafkaCheckoutRate*int(d/time.Second))
			} else {
				// 50 users, each a checkout then up to 2 s of thought: far more than this.
				o.Floors = append(o.Floors, Floor{Metric: metrics.HTTPReqDuration, Filter: metrics.Tags{"name": "checkout"}, Min: oomUsers, What: "checkout requests"})
			}
			return o
		},
		Judge: func(t assert.TestingT, c Config, o *Outcome) {
			l := o.Run.Metrics.Metric(lagMetric).Aggregate(nil)
			h := o.Run.Metrics.Metric(heldMetric).Aggregate(nil)
			if o.Run.Target == "docker" {
				o.Measure("peak checkout buffer bytes", kib(h.Max), "", true)
				ooms := 0
				for _, ev := range o.Run.Timeline.Events() {
					if ev.Kind == timeline.TargetOOM && ev.Target == demo.Checkout {
						ooms++
					}
				}
				o.Measure("checkout OOM kills", fmt.Sprint(ooms), map[Half]string{Fixed: "0"}[c.Half], true)
				o.Measure("peak consumer lag", fmt.Sprintf("%.0f messages", l.Max), "", true)
				// Seed 004: checkout must not be OOM-killed (nor restarted).
				assertions.NoOOM(t, o.Run, demo.Checkout)
				assertions.RestartsAtMost(t, o.Run, demo.Checkout, 0)
				return
			}
			// Embedded: the peak lag (not the last sample: the backlog drains
			// once the load stops) and the memory checkout's buffers would
			// take in seed 004's 20Mi container.
			o.AtMost("peak consumer lag (messages)", l.Max, kafkaLagBound, inCount, false)
			o.Below("peak checkout buffers (vs the seed's 20Mi container)", h.Max, oomMemoryLimit, inKiB, false)
			if l.Count == 0 {
				t.Errorf("no consumer lag was read from fraud-detection")
				return
			}
			assertions.ConsumerLagAtMost(t, o.Run, lagMetric, nil, kafkaLagBound)
		},
	}
}

// poll calls f every interval until ctx ends.
func poll(ctx context.Context, interval time.Duration, f func(time.Time)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			f(now)
		}
	}
}

// getJSON reads a small JSON document from a service the harness started.
func getJSON(ctx context.Context, url string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	return doJSON(req, v)
}

func decode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// sleepCtx waits d or until ctx ends (then it returns nil: a think time cut
// short by the end of the run is not an error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	return nil
}
