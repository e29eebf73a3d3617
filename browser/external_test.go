package browser

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
)

// A journey through a system that was already running (an external
// service) goes through gameday's proxy in front of it, which counts it.
func TestJourneyThroughAnExternalService(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>shop</title><h1>Already running</h1>")
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	env := harness.Start(t, system.New("running", system.External("web", "http://"+ln.Addr().String())))
	j := Journey{Name: "home", Steps: []Step{{Name: "home", Action: Goto(env.URL("web") + "/")}}}
	if err := shared.RunJourney(context.Background(), 90, j, metrics.Tags{"test": t.Name()}); err != nil {
		t.Fatalf("journey: %v", err)
	}
	edges, err := env.Running.(target.Proxied).Edges(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var pages uint64
	for _, e := range edges {
		if e.Caller == "client" && e.Callee == "web" {
			pages = e.Requests
		}
	}
	if pages < 1 {
		t.Errorf("edges %+v: want the browser's page load counted at the external service's proxy", edges)
	}
}
