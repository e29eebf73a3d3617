package load

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness/metrics"
)

func TestHTTPTimeoutAndTags(t *testing.T) {
	for _, standard := range []bool{false, true} {
		t.Run(map[bool]string{false: "lean", true: "transport"}[standard], func(t *testing.T) {
			testHTTPTimeoutAndTags(t, standard)
		})
	}
}

// A request slower than its Timeout fails (status 0, "request timeout")
// in about the timeout; the VU's next request on the same host works; the
// request's tags land on its samples.
func testHTTPTimeoutAndTags(t *testing.T, standard bool) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}
		fmt.Fprint(w, "ok")
	})
	var slowErr error
	var slowTook time.Duration
	var fastStatus int
	res, err := RunLoad(context.Background(), Options{StandardTransport: standard, Scenarios: Scenarios{"s": PerVUIterations{
		Iterations: 1, Exec: func(ctx context.Context, vu *VU) error {
			begin := time.Now()
			_, slowErr = vu.HTTP.Get(ctx, srv.URL+"/slow", Timeout(200*time.Millisecond),
				Tags(map[string]string{"journey": "checkout", "step": "pay"}))
			slowTook = time.Since(begin)
			r, err := vu.HTTP.Get(ctx, srv.URL+"/fast", Tag("journey", "browse"))
			if r != nil {
				fastStatus = r.Status
			}
			return err
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	if slowErr == nil || !strings.Contains(slowErr.Error(), "request timeout after 200ms") {
		t.Errorf("slow request error = %v, want a request timeout", slowErr)
	}
	if slowTook < 200*time.Millisecond || slowTook > 1500*time.Millisecond {
		t.Errorf("slow request took %v, want about its 200ms timeout (not the server's 2 s)", slowTook)
	}
	if fastStatus != 200 {
		t.Errorf("the next request got %d, want 200 (no deadline left on a reused connection)", fastStatus)
	}
	failed := res.Registry.Metric(metrics.HTTPReqFailed)
	slow := failed.Aggregate(metrics.Tags{"journey": "checkout", "step": "pay", "status": "0"})
	if slow.Count != 1 || slow.Rate() != 1 {
		t.Errorf("timed-out request samples with its tags: %+v", slow)
	}
	if fast := failed.Aggregate(metrics.Tags{"journey": "browse"}); fast.Count != 1 || fast.Rate() != 0 {
		t.Errorf("fast request samples: %+v", fast)
	}
}

func TestDefaultRequestTimeoutIsK6s(t *testing.T) {
	var c requestConfig
	if got := c.limit(); got != 60*time.Second {
		t.Errorf("default timeout = %v, want k6's 60s", got)
	}
	Timeout(-time.Second)(&c)
	if got := c.limit(); got != DefaultRequestTimeout {
		t.Errorf("a negative timeout = %v, want the default", got)
	}
}
