package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

func TestLeanPathSendsHeadersQueryAndBodies(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		fmt.Fprintf(w, "%s %s?%s x=%s ua=%s body=%s", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Test"),
			r.Header.Get("User-Agent"), body)
	})
	var got []string
	_, err := RunLoad(context.Background(), Options{Scenarios: Scenarios{"l": PerVUIterations{
		Exec: func(ctx context.Context, vu *VU) error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/a%20b?q=1&r=2", nil)
			req.Header.Set("X-Test", "yes")
			for _, do := range []func() (*Response, error){
				func() (*Response, error) { return vu.HTTP.Do(req) },
				func() (*Response, error) { return vu.HTTP.Post(ctx, srv.URL+"/p", "text/plain", []byte("hello")) },
				func() (*Response, error) {
					return vu.HTTP.JSON(ctx, http.MethodPut, srv.URL+"/j", map[string]int{"n": 1}, nil)
				},
			} {
				res, err := do()
				if err != nil {
					return err
				}
				got = append(got, string(res.Body))
			}
			return nil
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /a b?q=1&r=2 x=yes ua=Go-http-client/1.1 body=", "POST /p? x= ua=Go-http-client/1.1 body=hello",
		`PUT /j? x= ua=Go-http-client/1.1 body={"n":1}`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestRequestTimeoutIsAFailureButHardStopIsNot(t *testing.T) {
	hang := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	defer close(hang)
	var timeoutErr error
	start := time.Now()
	res, err := RunLoad(context.Background(), Options{Scenarios: Scenarios{
		"timeout": PerVUIterations{Exec: func(ctx context.Context, vu *VU) error {
			rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			_, timeoutErr = vu.HTTP.Get(rctx, srv.URL+"/slow")
			return timeoutErr
		}},
		"cut": ConstantVUs{Duration: 300 * time.Millisecond, Base: Base{GracefulStop: 200 * time.Millisecond},
			Exec: func(ctx context.Context, vu *VU) error {
				_, err := vu.HTTP.Get(ctx, srv.URL+"/hang")
				return err
			}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("run took %s", d)
	}
	if !errors.Is(timeoutErr, context.DeadlineExceeded) {
		t.Errorf("timeout error: %v", timeoutErr)
	}
	failed := res.Registry.Metric(metrics.HTTPReqFailed)
	if a := failed.Aggregate(metrics.Tags{"scenario": "timeout"}); a.Count != 1 || a.Trues != 1 {
		t.Errorf("timed-out request: %+v", a)
	}
	if a := failed.Aggregate(metrics.Tags{"scenario": "cut"}); a.Count != 0 {
		t.Errorf("requests cut by the hard stop were recorded: %+v", a)
	}
	if got := res.Registry.Metric(InterruptedIterations).Aggregate(metrics.Tags{"scenario": "cut", "cause": "stop"}).Sum; got != 1 {
		t.Errorf("interrupted iterations = %v", got)
	}
}
