package harness_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gameday-dev/gameday/harness"
	"github.com/gameday-dev/gameday/harness/fault"
	"github.com/gameday-dev/gameday/harness/flags"
	"github.com/gameday-dev/gameday/harness/load"
	"github.com/gameday-dev/gameday/harness/metrics"
	"github.com/gameday-dev/gameday/harness/system"
	"github.com/gameday-dev/gameday/harness/target"
	"github.com/open-feature/go-sdk/openfeature"
)

// running serves h on a loopback port until the test ends: a service
// that was "already running" when the test started.
func running(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestExternalSystemWithAProxyPerEdge(t *testing.T) {
	backURL := running(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	// The team configured its front once with BACK_URL pointing at the
	// address gameday's edge proxy listens on.
	edge := freeAddr(t)
	client := &http.Client{Timeout: 2 * time.Second}
	frontURL := running(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := client.Get("http://" + edge + "/")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	flagSrv, err := flags.NewServer(flags.ServerConfig{Data: []byte(testFlags), AdminToken: "ext-token"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = flagSrv.Close() })
	flagsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	go func() { _ = flagSrv.Serve(ctx, flagsLn) }()
	flagsURL := "http://" + flagsLn.Addr().String()

	var logs []string
	env := harness.Start(t, system.New("already-running",
		system.External("back", backURL),
		system.External("front", frontURL, system.Public(),
			system.Calls("back", "BACK_URL", "http://{addr}"), system.EdgeListen("back", edge)),
		system.External(harness.FlagService, flagsURL, system.Env(harness.FlagTokenEnv, "ext-token")),
	), harness.WithTarget("auto"), harness.WithLog(func(s string) { logs = append(logs, s) }))

	settings := env.Settings()
	if len(settings) != 1 || settings[0].String() != "front: BACK_URL=http://"+edge {
		t.Errorf("settings = %v, want front's BACK_URL through the edge proxy", settings)
	}
	if joined := strings.Join(logs, "\n"); !strings.Contains(joined, "configure front: BACK_URL=http://"+edge) ||
		!strings.Contains(joined, "running it locally") {
		t.Errorf("log = %s", joined)
	}

	front := env.URL("front")
	run := env.Load(t, load.Scenarios{"users": load.ConstantArrivalRate{Rate: 50, Duration: 2 * time.Second,
		PreAllocatedVUs: 10, Exec: func(ctx context.Context, vu *load.VU) error {
			_, err := vu.HTTP.Get(ctx, front+"/", load.Name("front"))
			return err
		}}}, nil)
	env.Inject(t, "back", fault.HTTP{ErrorRate: 1, ErrorCode: 503}, fault.During(time.Second, time.Second))
	res := run.Wait(t)
	failed := res.Metrics.Metric(metrics.HTTPReqFailed).Aggregate(metrics.Tags{"name": "front"})
	if failed.Count < 80 || failed.Rate() < 0.3 || failed.Rate() > 0.7 {
		t.Errorf("http_req_failed = %.2f over %d, want ≈ 1/2: the fault on back reaches front's calls", failed.Rate(), failed.Count)
	}
	counts := map[string]uint64{}
	for _, e := range res.Edges {
		counts[e.Caller+"->"+e.Callee] = e.Requests
	}
	if counts["front->back"] < failed.Count*9/10 || counts["client->front"] < failed.Count*9/10 {
		t.Errorf("edges = %v for %d requests: both hops counted", counts, failed.Count)
	}

	// Flags: the external flag service speaks OFREP through its proxy,
	// and SetFlag uses its admin API with the token it was started with.
	env.SetFlag(t, "slow", "on")
	p := flags.NewOFREPProvider(env.URL(harness.FlagService))
	if got := p.BooleanEvaluation(context.Background(), "slow", false, openfeature.FlattenedContext{}); !got.Value {
		t.Errorf("OFREP slow = %+v, want true after SetFlag", got)
	}
}

func TestExternalRefusesHostsOutsideTheTrafficRule(t *testing.T) {
	_, err := harness.New(context.Background(), system.New("remote",
		system.External("api", "http://10.1.2.3:8080")), harness.WithTarget("embedded"))
	if err == nil || !strings.Contains(err.Error(), "external host 10.1.2.3") ||
		!strings.Contains(err.Error(), `system.AllowHosts("10.1.2.3")`) {
		t.Fatalf("err = %v, want the traffic rule and how to allow the host", err)
	}
	var noKill error
	env := harness.Start(t, system.New("one", system.External("api", running(t, http.NotFoundHandler()))))
	if r, ok := env.Running.(target.Killer); ok {
		noKill = r.Kill(context.Background(), "api")
	}
	if !errors.Is(noKill, target.ErrUnsupported) {
		t.Errorf("kill an external service: %v, want ErrUnsupported", noKill)
	}
}
