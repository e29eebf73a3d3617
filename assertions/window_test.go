package assertions_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/gameday-dev/gameday/assertions"
)

func TestWindows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := slowCatalog(t)
		b.fault("product-catalog", "http: errors 50%", sec(45), sec(48))
		run := b.build()
		cases := []struct {
			opt      assertions.WindowOption
			from, to time.Duration
			label    string
		}{
			{assertions.Before("product-catalog"), 0, sec(20), "before product-catalog"},
			{assertions.During("product-catalog"), sec(20), sec(48), "during product-catalog"},
			{assertions.After("product-catalog"), sec(48), sec(60), "after product-catalog"},
			{assertions.During("flag:adFailure"), sec(30), sec(50), "during flag:adFailure"},
			{assertions.During("*"), sec(20), sec(50), "during any fault"},
			{assertions.Offsets(sec(5), sec(10)), sec(5), sec(10), "between"},
		}
		for _, c := range cases {
			w, err := c.opt(run)
			if err != nil {
				t.Fatalf("%s: %v", c.label, err)
			}
			if got, want := w.From.Sub(run.Start), c.from; got != want {
				t.Errorf("%s: from %s, want %s", c.label, got, want)
			}
			if got, want := w.To.Sub(run.Start), c.to; got != want {
				t.Errorf("%s: to %s, want %s", c.label, got, want)
			}
			if w.Label != c.label {
				t.Errorf("label %q, want %q", w.Label, c.label)
			}
		}
		if _, err := assertions.Between(run.End, run.Start)(run); err == nil {
			t.Error("an inverted window must be refused")
		}
		if got := assertions.ActiveDuring(run, run.Start, run.Start.Add(sec(10))); got != "none" {
			t.Errorf("nothing is active in the first 10s, got %q", got)
		}
	})
}

// A fault still open when the run ended (a run cut short) ends with the run.
func TestOpenWindowEndsWithRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBuilder(t, 30*time.Second)
		b.events = append(b.events, scripted{at: sec(10), begin: true, kind: "fault.inject", target: "cart", name: "http: errors"})
		run := b.build()
		time.Sleep(time.Minute) // Windows() ends open windows at "now", after the run
		w, err := assertions.During("cart")(run)
		if err != nil {
			t.Fatal(err)
		}
		if w.To != run.End {
			t.Errorf("open window ends at %s, want the run's end %s", w.To.Sub(run.Start), run.End.Sub(run.Start))
		}
		if got := assertions.ActiveDuring(run, run.Start, run.End); got != "fault.inject cart http: errors [10.0s–open]" {
			t.Errorf("active %q", got)
		}
	})
}
