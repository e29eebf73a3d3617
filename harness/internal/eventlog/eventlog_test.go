package eventlog

import (
	"context"
	"testing"
	"time"
)

func TestWatchSeesLaterEventsUntilClose(t *testing.T) {
	var l Log[int]
	l.Add(1) // before Watch: never seen by it
	first := make(chan struct{})
	got := make(chan []int)
	go func() {
		var seen []int
		err := l.Watch(context.Background(), func(n int) {
			if len(seen) == 0 {
				close(first)
			}
			seen = append(seen, n)
		})
		if err != nil {
			t.Errorf("Watch: %v", err)
		}
		got <- seen
	}()
	last := 1
	for waiting := true; waiting; {
		last++
		l.Add(last)
		select {
		case <-first:
			waiting = false
		case <-time.After(time.Millisecond):
		}
	}
	l.Add(last + 1)
	l.Close()
	l.Close()
	l.Add(last + 2) // dropped once closed
	seen := <-got
	if len(seen) == 0 || seen[0] < 2 || seen[len(seen)-1] != last+1 {
		t.Fatalf("watch saw %v, want a run from 2 or later up to %d", seen, last+1)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] != seen[i-1]+1 {
			t.Fatalf("watch saw %v: not every event in order", seen)
		}
	}
	if all := l.All(); len(all) != last+1 {
		t.Fatalf("All() has %d events, want %d", len(all), last+1)
	}
}

func TestWatchEndsWithItsContext(t *testing.T) {
	var l Log[string]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Watch(ctx, func(string) {}); err != context.Canceled {
		t.Fatalf("Watch = %v, want context.Canceled", err)
	}
}
