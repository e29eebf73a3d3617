package metrics

import (
	"testing"
	"time"
)

func TestTrendZeroValuesReadBackAsZero(t *testing.T) {
	reg, start := newTestRegistry(t)
	s := reg.Metric(HTTPReqConnecting).Series(nil)
	for i := 0; i < 99; i++ {
		s.Add(start, 0)
	}
	s.Add(start, 0.2)
	a := s.Snapshot()
	if a.Quantile(0.5) != 0 || a.Quantile(0.99) != 0 || a.Max != 0.2 {
		t.Fatalf("med %v p99 %v max %v", a.Quantile(0.5), a.Quantile(0.99), a.Max)
	}
}

func TestRegistryBasics(t *testing.T) {
	reg, start := newTestRegistry(t)
	if _, err := reg.Define(HTTPReqs, Trend, Time); err == nil {
		t.Fatal("redefining a builtin with another type must fail")
	}
	if _, err := reg.Define("bad name", Counter, Default); err == nil {
		t.Fatal("a name with a space must fail")
	}
	if err := reg.Add("nope", start, 1, nil); err == nil {
		t.Fatal("unknown metric accepted")
	}
	c := reg.MustDefine("orders", Counter, Default)
	_ = reg.Add("orders", start, 2, Tags{"svc": "a"})
	_ = reg.Add("orders", start.Add(1500*time.Millisecond), 3, Tags{"svc": "b"})
	if got := c.Aggregate(nil).Sum; got != 5 {
		t.Fatalf("sum %v", got)
	}
	if got := c.Aggregate(Tags{"svc": "b"}).Sum; got != 3 {
		t.Fatalf("filtered sum %v", got)
	}
	secs := c.Seconds(nil)
	if len(secs) != 2 || secs[0].Sum != 2 || secs[1].Sum != 3 {
		t.Fatalf("seconds %+v", secs)
	}
	if got := c.Window(nil, start.Add(time.Second), start.Add(2*time.Second)).Sum; got != 3 {
		t.Fatalf("window %v", got)
	}
	if (Tags{"b": "2", "a": "1"}).String() != "{a:1,b:2}" {
		t.Fatal("tags string")
	}
}
