package assertions_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/timeline"
)

func TestNoOOMAndRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.window(timeline.FlagSet, "kafkaQueueProblems", "on", sec(10), sec(50))
		b.point(timeline.TargetOOM, "checkout", sec(31))
		b.point(timeline.TargetRestart, "checkout", sec(32))
		b.point(timeline.TargetOOM, "checkout", sec(41))
		b.point(timeline.TargetRestart, "checkout", sec(42))
		run := b.build()

		var ok recorder
		if !assertions.NoOOM(&ok, run, "email") || !assertions.RestartsAtMost(&ok, run, "checkout", 2) {
			t.Errorf("email never OOMed; checkout restarted twice: %s", ok.text())
		}
		var r recorder
		if assertions.NoOOM(&r, run, "checkout") {
			t.Fatal("checkout was OOM-killed")
		}
		r.mustContain(t, "2 OOM kill(s) of checkout: checkout at 31.0s, checkout at 41.0s", "flag.set kafkaQueueProblems on [10.0s–50.0s]")
		var rr recorder
		if assertions.RestartsAtMost(&rr, run, "", 1) {
			t.Fatal("2 restarts is over 1")
		}
		rr.mustContain(t, "any target restarted 2 time(s), limit 1: checkout at 32.0s, checkout at 42.0s", "target.oom checkout at 41.0s")
	})
}

func TestConsumerLag(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.reg.MustDefine("kafka_consumer_lag", metrics.Gauge, metrics.Default)
		lagTags := metrics.Tags{"group": "fraud-detection", "topic": "orders"}
		b.series("kafka_consumer_lag", lagTags, 0, sec(60), 1, func(s, _ int) float64 {
			if s >= 20 && s < 30 {
				return float64(s-19) * 100 // climbs to 1000 at 29 s
			}
			return 3
		})
		b.window(timeline.FlagSet, "kafkaQueueProblems", "on", sec(18), sec(30))
		run := b.build()
		var ok recorder
		if !assertions.ConsumerLagAtMost(&ok, run, "kafka_consumer_lag", metrics.Tags{"group": "fraud-detection"}, 1000) {
			t.Errorf("peak 1000 is within 1000: %s", ok.text())
		}
		var r recorder
		if assertions.ConsumerLagAtMost(&r, run, "kafka_consumer_lag", nil, 500) {
			t.Fatal("peak 1000 is over 500")
		}
		r.mustContain(t, "kafka_consumer_lag{group:fraud-detection,topic:orders} peaked at 1000 (last 3), limit 500",
			"window lag above limit [25.0s–30.0s]", "flag.set kafkaQueueProblems on")

		var f recorder
		if !assertions.LagAtMost(&f, "orders", func() (int64, error) { return 3, nil }, 10) {
			t.Error("3 is within 10")
		}
		if assertions.LagAtMost(&f, "orders", func() (int64, error) { return 0, errors.New("no broker") }, 10) {
			t.Error("an error reading the lag must fail")
		}
		f.mustContain(t, "lag of orders: no broker")
	})
}

func TestAmplification(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 60*time.Second)
		b.edge("frontend", "recommendation", 100)
		b.edge("recommendation", "product-catalog", 400)
		b.edge("client", "frontend", 100)
		b.fault("product-catalog", "http: delay 900ms±150ms", sec(10), sec(50))
		run := b.build()
		f, err := assertions.Amplification(run, "recommendation->product-catalog")
		if err != nil || f != 4 {
			t.Fatalf("amplification %v (%v), want 4", f, err)
		}
		var ok recorder
		if !assertions.AmplificationBelow(&ok, run, "recommendation->product-catalog", 4) {
			t.Errorf("4 ≤ 4: %s", ok.text())
		}
		var r recorder
		if assertions.AmplificationBelow(&r, run, "recommendation->product-catalog", 1.5) {
			t.Fatal("4 is over 1.5")
		}
		r.mustContain(t, "amplification recommendation->product-catalog is 4 (400 downstream calls for 100 requests into recommendation), limit 1.5",
			"fault.inject product-catalog http: delay")
		if _, err := assertions.Amplification(run, "cart->product-catalog"); err == nil {
			t.Error("an edge no proxy saw must be an error")
		}
		if _, err := assertions.Amplification(run, "frontend->recommendation"); err != nil {
			t.Errorf("client->frontend counts the requests into frontend: %v", err)
		}
		if _, err := assertions.Amplification(run, "nonsense"); err == nil {
			t.Error("a malformed edge must be refused")
		}
	})
}
